import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, validationError } from './errors.js';

/** Field path → message, for the `details` of a 400. */
export function zodDetails(error: z.ZodError): { fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length ? issue.path.join('.') : '(body)';
    fields[path] ??= issue.message;
  }
  return { fields };
}

function fieldList(details: { fields: Record<string, string> }): string {
  const names = Object.keys(details.fields).filter((n) => n !== '(body)');
  return names.length ? `Check these fields: ${names.join(', ')}.` : (Object.values(details.fields)[0] ?? 'Check the request.');
}

/** Parses `value` with `schema`, or throws a 400 naming each bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = zodDetails(result.error);
    throw validationError(`The ${what} is not valid. ${fieldList(details)}`, details);
  }
  return result.data;
}

/** Reads the JSON body and parses it with `schema`. Malformed JSON is a 400, never a 500. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  // The body is read as JSON whatever its content-type says: scripts often omit the header, and
  // cross-site form posts are stopped by the origin check, not by the content type.
  let raw: string;
  try {
    raw = await c.req.text();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw validationError('The request body could not be read.');
  }
  if (raw.trim() === '') return parse(schema, {}, 'request body');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw validationError('The request body is not valid JSON.', { fields: { '(body)': 'Not valid JSON.' } });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validationError('The request body must be a JSON object.', { fields: { '(body)': 'Expected an object.' } });
  }
  return parse(schema, value, 'request body');
}

/** Parses one path parameter as an id; a malformed id is simply not found. */
export function param(c: Context, name: string): string {
  const v = c.req.param(name);
  if (!v || v.length > 64 || !/^[A-Za-z0-9_-]+$/.test(v)) throw new ApiError(404, 'not_found', 'This item was not found.');
  return v;
}
