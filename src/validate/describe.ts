// Plain-language descriptions of values found and of what a schema expects.

type SchemaNode = Record<string, unknown>;

const typeNames: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** Describes a value as found in a file: strings quoted, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Date) return `a date (${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Describes JSON types as ajv names them (`integer`, or `string,null`). */
export function describeTypes(types: unknown): string {
  const list = Array.isArray(types) ? types : String(types).split(',');
  return list.map((type) => typeNames[String(type)] ?? String(type)).join(' or ');
}

/** Lists the values a tagged union (ajv `discriminator`) accepts for its tag. */
export function listTagValues(union: SchemaNode): string[] {
  const tag = (union.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (!tag || !Array.isArray(union.oneOf)) return [];
  return union.oneOf.flatMap((branch: SchemaNode) => listAllowedValues((branch.properties as Record<string, SchemaNode> | undefined)?.[tag]) ?? []);
}

/** The values a schema allows when it is a `const`, an `enum` or a union of those; otherwise undefined. */
export function listAllowedValues(schema: SchemaNode | undefined): string[] | undefined {
  if (!schema) return undefined;
  if ('const' in schema) return [String(schema.const)];
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  const branches = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(branches) || schema.discriminator) return undefined;
  const values = branches.map((branch: SchemaNode) => listAllowedValues(branch));
  return values.every((value): value is string[] => value !== undefined) ? values.flat() : undefined;
}

/** Describes what a schema expects in a few words, or undefined when that would be too long to help. */
export function describeSchema(schema: SchemaNode | undefined): string | undefined {
  if (!schema) return undefined;
  const values = listAllowedValues(schema);
  if (values) return values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.join(', ')}`;
  const tag = (schema.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (tag) return `a mapping whose \`${tag}\` is one of ${listTagValues(schema).join(', ')}`;
  if (schema.type === 'array') return 'a list';
  return schema.type === undefined ? undefined : describeTypes(schema.type);
}
