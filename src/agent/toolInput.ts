import * as z from 'zod';
import { FILTER_OPERATORS } from '../api/filters';
import { msg, type LocalisableText } from '../api/text';
import type { ToolKey } from './toolNames';

/**
 * Each tool's input, checked inside the tool before anything is sent, whatever VS Code or an MCP
 * client checked before (a tool can be called with anything). The same shapes are the JSON
 * schemas in package.json and the MCP tools' input schemas.
 */

/** The most records a find brings back: one request (BD clamps a page to 100). */
export const MAX_FIND_LIMIT = 100;
/** The most requests a click summary may use; past it the tool refuses and says how many it would need. */
export const MAX_CLICK_REQUESTS = 60;
export const DEFAULT_CLICK_REQUESTS = 20;
/** The most records one bulk proposal names: one read (`in` on the primary key). */
export const MAX_BULK_IDS = 100;

const MODELS = ['contacts', 'website_notifications', 'users_clicks', 'ms_clicks'] as const;
const site = z.string().min(1).max(200);
const resource = z.enum(MODELS);
const id = z.string().regex(/^[1-9]\d{0,17}$/, 'an id is a whole number');
const field = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field name is a plain identifier').max(64);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');
const value = z.string().max(10_000);

const filter = z.strictObject({ field, operator: z.enum(FILTER_OPERATORS), value: z.string().max(1000).optional() });

export const TOOL_INPUTS = {
  listSites: z.strictObject({}),
  findRecords: z
    .strictObject({
      site,
      text: z.string().min(1).max(200).optional(),
      resource: resource.optional(),
      filters: z.array(filter).max(5).optional(),
      limit: z.number().int().min(1).max(MAX_FIND_LIMIT).optional(),
    })
    .refine((input) => input.text !== undefined || input.resource !== undefined, { message: 'give "text" to search, or "resource" (with "filters") to list' })
    .refine((input) => input.text === undefined || input.filters === undefined, { message: '"text" and "filters" do not go together: search by text, or list a resource with filters' }),
  getRecord: z.strictObject({ site, resource, id }),
  summarizeClicks: z
    .strictObject({
      site,
      preset: z.enum(['last7', 'last30', 'last90', 'all']).optional(),
      from: day.optional(),
      to: day.optional(),
      top: z.number().int().min(1).max(20).optional(),
      maxRequests: z.number().int().min(1).max(MAX_CLICK_REQUESTS).optional(),
    })
    .refine((input) => (input.preset === undefined) === (input.from !== undefined && input.to !== undefined), { message: 'give either "preset" or both "from" and "to"' }),
  openRecord: z.strictObject({ site, resource, id }),
  openTable: z.strictObject({ site, resource }),
  proposeChanges: z.strictObject({
    site,
    resource,
    id,
    fields: z.record(field, value.nullable()).refine((fields) => Object.keys(fields).length > 0 && Object.keys(fields).length <= 50, { message: 'between 1 and 50 fields' }),
  }),
  proposeBulk: z
    .strictObject({
      site,
      action: z.enum(['setField', 'markViewed']),
      resource,
      ids: z.array(id).min(1).max(MAX_BULK_IDS),
      field: field.optional(),
      value: value.optional(),
    })
    .refine((input) => input.action !== 'setField' || (input.field !== undefined && input.value !== undefined), { message: 'setField needs "field" and "value"' })
    .refine((input) => input.action !== 'markViewed' || (input.field === undefined && input.value === undefined), { message: 'markViewed takes no "field" or "value"' }),
} satisfies Record<ToolKey, z.ZodType>;

export type ToolInput<K extends ToolKey> = z.infer<(typeof TOOL_INPUTS)[K]>;

/** The input was refused: why, in words a model can act on. Nothing was sent. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
  constructor(readonly text: LocalisableText) {
    super(text.template);
  }
}

/** The input, checked; throws ToolInputError naming each problem. */
export function parseToolInput<K extends ToolKey>(key: K, input: unknown): ToolInput<K> {
  const result = TOOL_INPUTS[key].safeParse(input ?? {});
  if (result.success) return result.data as ToolInput<K>;
  const problems = result.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
  throw new ToolInputError(msg`Invalid input, nothing was sent: ${problems}`);
}
