import { customAlphabet } from 'nanoid';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Task and artifact ids: 8 characters of [0-9a-z], unique across tenants (a constraint enforces it). */
export const newTaskId: () => string = customAlphabet(alphabet, 8);

export const taskIdPattern = /^[0-9a-z]{8}$/;
