/** Reads and writes a string setting, tolerating storage that is unavailable (private mode, tests). */
export const readSetting = (storage: 'local' | 'session', key: string): string | null => {
  try {
    return (storage === 'local' ? window.localStorage : window.sessionStorage).getItem(key);
  } catch {
    return null;
  }
};

export const writeSetting = (storage: 'local' | 'session', key: string, value: string | null): void => {
  try {
    const target = storage === 'local' ? window.localStorage : window.sessionStorage;
    if (value === null || value === '') target.removeItem(key);
    else target.setItem(key, value);
  } catch {
    // Storage refused: the setting lasts until the page is reloaded.
  }
};
