import { describe, expect, it } from 'vitest';
import { plainTextProblem } from './plain-text';

describe('plainTextProblem', () => {
  it.each([
    ['ASCII', 'Build the API'],
    ['accents and dashes', 'café — naïve'],
    ['an emoji (a surrogate pair) and a ZWJ sequence', 'done 👍 👩‍💻'],
    ['right-to-left script', 'שלום عربي'],
    ['left-to-right and right-to-left marks', 'a\u200Eb\u200Fc'],
    ['the empty string', ''],
  ])('accepts %s', (_name, text) => {
    expect(plainTextProblem(text)).toBeNull();
  });

  it('accepts newline and tab only in multiline text', () => {
    expect(plainTextProblem('a\n\tb', { multiline: true })).toBeNull();
    expect(plainTextProblem('a\nb')).toBe('must not contain control characters: U+000A at position 1');
    expect(plainTextProblem('a\tb')).toBe('must not contain control characters: U+0009 at position 1');
  });

  it.each([
    ['NUL', '\u0000', 'must not contain control characters other than newline and tab: U+0000 at position 0'],
    ['ESC', 'x\u001b[0m', 'must not contain control characters other than newline and tab: U+001B at position 1'],
    [
      'a carriage return',
      'x\r\n',
      'must not contain control characters other than newline and tab: U+000D at position 1',
    ],
    ['DEL', 'x\u007F', 'must not contain control characters other than newline and tab: U+007F at position 1'],
    ['a C1 control', 'x\u009B', 'must not contain control characters other than newline and tab: U+009B at position 1'],
    ['a right-to-left override', 'x\u202E', 'must not contain bidirectional control characters: U+202E at position 1'],
    ['a left-to-right embedding', 'x\u202A', 'must not contain bidirectional control characters: U+202A at position 1'],
    ['a first-strong isolate', 'x\u2068', 'must not contain bidirectional control characters: U+2068 at position 1'],
    ['a lone high surrogate', 'x\uD800y', 'must be valid Unicode: lone surrogate U+D800 at position 1'],
    ['a lone high surrogate at the end', 'xy\uDBFF', 'must be valid Unicode: lone surrogate U+DBFF at position 2'],
    ['a lone low surrogate', '\uDC00', 'must be valid Unicode: lone surrogate U+DC00 at position 0'],
    ['two high surrogates', '\uD83D\uD83D\uDC4D', 'must be valid Unicode: lone surrogate U+D83D at position 0'],
  ])('refuses %s, naming the code point and its position', (_name, text, problem) => {
    expect(plainTextProblem(text, { multiline: true })).toBe(problem);
  });
});
