import { readSetting, writeSetting } from './storage';

/**
 * The pasted API key is a secret: it lives in sessionStorage (this tab only, gone when it closes),
 * never in localStorage, and "Sign out" removes it.
 */
export const apiKeyStorageKey = 'ai-org.api-key';

export const readApiKey = (): string | null => readSetting('session', apiKeyStorageKey);

export const saveApiKey = (key: string): void => writeSetting('session', apiKeyStorageKey, key.trim());

export const forgetApiKey = (): void => writeSetting('session', apiKeyStorageKey, null);
