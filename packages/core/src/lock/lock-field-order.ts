import { z } from 'zod';
import { lockEntrySchema, pendingTaskSchema } from './lock-schema.js';

/**
 * The order fields are written in, per object: each key with the order of its own fields
 * (for an object or a list of objects), or null for a scalar.
 */
export type FieldOrder = readonly (readonly [string, FieldOrder | null])[];

/** The fields of an object schema in declaration order, recursively (through lists too). */
function fieldOrder(schema: z.ZodObject): FieldOrder {
  return Object.entries(schema.shape).map(([key, field]) => [key, childOrder(field as z.ZodType)]);
}

function childOrder(field: z.ZodType): FieldOrder | null {
  let inner: z.ZodType = field;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodArray) inner = inner.element as z.ZodType;
  return inner instanceof z.ZodObject ? fieldOrder(inner) : null;
}

/** Field order of the lock's entries: the schema's, so the two cannot drift apart. */
export const LOCK_FIELD_ORDER = {
  images: fieldOrder(lockEntrySchema),
  pending: fieldOrder(pendingTaskSchema),
};
