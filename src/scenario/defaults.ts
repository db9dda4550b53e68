// Defaults come from the `default` keywords of the schema, so the numbers live in one place.

type SchemaNode = Record<string, unknown>;

// Optional fields the schema gives no `default` but that the Scenario type makes present.
const structuralDefaults = { tags: [] as string[], expect: {} };

/** Returns a copy of a valid scenario value with every default applied (the input is not changed). */
export function applyScenarioDefaults(value: Record<string, unknown>, schema: SchemaNode): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const [name, fallback] of Object.entries(structuralDefaults)) copy[name] ??= structuredClone(fallback);
  applySchemaDefaults(copy, schema);
  return copy;
}

/** Fills missing properties from `default` keywords, in place, following properties, items and tagged unions. */
export function applySchemaDefaults(value: unknown, schema: SchemaNode | undefined): void {
  if (!schema || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    const items = schema.items as SchemaNode | undefined;
    for (const item of value) applySchemaDefaults(item, items);
    return;
  }
  const record = value as Record<string, unknown>;
  const properties = (schema.properties as Record<string, SchemaNode> | undefined) ?? {};
  for (const [name, property] of Object.entries(properties)) {
    if (record[name] === undefined && 'default' in property) record[name] = structuredClone(property.default);
    else applySchemaDefaults(record[name], property);
  }
  applySchemaDefaults(record, selectTaggedBranch(record, schema));
}

// The branch of an ajv-style tagged union (`discriminator` + `oneOf`) that the value's tag names.
function selectTaggedBranch(record: Record<string, unknown>, schema: SchemaNode): SchemaNode | undefined {
  const tag = (schema.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (!tag || !Array.isArray(schema.oneOf)) return undefined;
  return (schema.oneOf as SchemaNode[]).find((branch) => {
    const property = (branch.properties as Record<string, SchemaNode> | undefined)?.[tag];
    return property !== undefined && property.const === record[tag];
  });
}
