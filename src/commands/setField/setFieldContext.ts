import type { ResourceDescriptor } from '../../api/resources';

/** The answers of one Set Field, filled in by its steps. */
export interface SetFieldContext {
  readonly resource: ResourceDescriptor;
  /** Columns of this site's records that the vendor documentation does not list (seen in listings). */
  readonly seen: readonly string[];
  /** Why `value` cannot go into `field`, in words; undefined when it can. */
  readonly problemOf: (field: string, value: string) => string | undefined;
  field?: string;
  value?: string;
}
