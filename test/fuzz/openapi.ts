/** The parts of an OpenAPI 3.1 document the fuzzer reads: operations, parameters and body schemas. */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  /** "POST /api/offers/{id}/approve" */
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** Request body schemas by media type: application/json, multipart/form-data, text/csv. */
  bodies: Record<string, Schema>;
  bodyRequired: boolean;
}

type Doc = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Follows $ref and merges allOf, so callers only ever see plain schemas. */
export function resolver(doc: Doc) {
  const resolve = (schema: Schema | undefined, depth = 0): Schema => {
    if (!schema) return {};
    if (depth > 20) throw new Error('schema $ref chain too deep');
    if (schema.$ref) {
      const target = schema.$ref.replace(/^#\//, '').split('/').reduce<any>((o, k) => o?.[k], doc);
      return resolve({ ...target, ...schema, $ref: undefined }, depth + 1);
    }
    if (schema.allOf?.length) {
      const parts = schema.allOf.map((s) => resolve(s, depth + 1));
      const { allOf: _, ...rest } = schema;
      return parts.reduce<Schema>(
        (acc, p) => ({
          ...acc,
          ...p,
          properties: { ...acc.properties, ...p.properties },
          required: [...(acc.required ?? []), ...(p.required ?? [])],
        }),
        rest,
      );
    }
    return schema;
  };
  return resolve;
}

export function operationsOf(doc: Doc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters: Parameter[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const content: Record<string, { schema?: Schema }> = op.requestBody?.content ?? {};
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        bodies: Object.fromEntries(Object.entries(content).map(([type, c]) => [type, c.schema ?? {}])),
        bodyRequired: op.requestBody?.required === true,
      });
    }
  }
  return ops;
}
