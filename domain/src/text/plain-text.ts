import type { z } from 'zod';

export interface PlainTextOptions {
  /** Newline (U+000A) and tab (U+0009) are allowed: descriptions and goals. Names and URLs allow neither. */
  readonly multiline?: boolean;
}

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
/** C0 controls, DEL and C1 controls (Unicode category Cc). */
const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f);
/** Bidirectional embeddings, overrides and isolates: they make text read differently from what it is. */
const isBidiControl = (code: number): boolean =>
  (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);

/**
 * What is wrong with `text` as stored free text, or null: it must be well-formed Unicode (no lone
 * surrogate, which Neo4j would silently replace with U+FFFD) and contain no control characters (NUL,
 * terminal escape sequences…; newline and tab only when `multiline`) and no bidirectional controls.
 * The problem names the code point and its position, never repeats the text.
 */
export const plainTextProblem = (text: string, options: PlainTextOptions = {}): string | null => {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isHighSurrogate(code)) {
      if (isLowSurrogate(text.charCodeAt(index + 1))) {
        index += 1;
        continue;
      }
      return `must be valid Unicode: lone surrogate ${hex(code)} at position ${index}`;
    }
    if (isLowSurrogate(code)) return `must be valid Unicode: lone surrogate ${hex(code)} at position ${index}`;
    if (isControl(code) && !(options.multiline && (code === 0x0a || code === 0x09))) {
      return `must not contain control characters${options.multiline ? ' other than newline and tab' : ''}: ${hex(code)} at position ${index}`;
    }
    if (isBidiControl(code)) {
      return `must not contain bidirectional control characters: ${hex(code)} at position ${index}`;
    }
  }
  return null;
};

/** The same rule as a zod refinement: `z.string().superRefine(plainText({ multiline: true }))`. */
export const plainText =
  (options: PlainTextOptions = {}) =>
  (text: string, ctx: z.core.$RefinementCtx<string>): void => {
    const problem = plainTextProblem(text, options);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
