/**
 * The playground page: connect (or use the connection the playground started with), test the
 * connection, browse actions by category with search, fill an action's form (RJSF, with pickers and the
 * org's own fields), then dry run or run it and see the output or the error, and `meta`.
 */
import Form from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { call } from './api-client.js';
import { LookupWidget } from './lookup-widget.js';

// Okta's formats beside draft-07's: idn-email (Unicode logins), and password (a marker for renderers).
const validator = customizeValidator({
  customFormats: { 'idn-email': /^[^\s@]+@[^\s@]+$/u, password: /.*/s },
  ajvOptionsOverrides: { strict: false },
});
const widgets = { lookup: LookupWidget };

type Json = Record<string, any>;

function App() {
  const [manifest, setManifest] = useState<Json | null>(null);
  const [connection, setConnection] = useState<Json | null>(null);
  const [check, setCheck] = useState<Json | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    void call('/api/manifest').then(setManifest);
    void call('/api/session').then((session) => setConnection(session.connection));
  }, []);
  if (!manifest) return <p>Loading...</p>;
  const action = manifest.actions.find((a: Json) => a.key === selected);
  return (
    <>
      <header>
        <h1>okta-actions playground</h1>
        <span className="connection" data-testid="connection">
          {connection ? `${connection.type} connection to ${connection.apiAddress}` : 'not connected'}
        </span>
      </header>
      <main>
        <section className="actions">
          <ConnectionPanel
            manifest={manifest}
            connection={connection}
            check={check}
            onConnected={(c, r) => {
              setConnection(c);
              setCheck(r);
            }}
            onChecked={setCheck}
          />
          <ActionList actions={manifest.actions} selected={selected} onSelect={setSelected} />
        </section>
        {action ? (
          <ActionPanel key={action.key} action={action} />
        ) : (
          <section>
            <h2>Choose an action</h2>
            <p>Pick one on the left.</p>
          </section>
        )}
      </main>
    </>
  );
}

function ConnectionPanel(props: {
  manifest: Json;
  connection: Json | null;
  check: Json | null;
  onConnected: (c: Json, r: Json) => void;
  onChecked: (r: Json) => void;
}) {
  const types = Object.keys(props.manifest.connections);
  const [type, setType] = useState(types[0] ?? 'api_token');
  const [editing, setEditing] = useState(false);
  const schema = props.manifest.connections[type];
  return (
    <div>
      <h2>Connection</h2>
      {props.connection && !editing ? (
        <div className="buttons">
          <button
            type="button"
            className="primary"
            onClick={async () => props.onChecked(await call('/api/test-connection', {}))}
          >
            Test connection
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Change
          </button>
        </div>
      ) : (
        <div>
          <select aria-label="Connection type" value={type} onChange={(e) => setType(e.target.value)}>
            {types.map((t) => (
              <option key={t} value={t}>
                {props.manifest.connections[t].title}
              </option>
            ))}
          </select>
          <Form
            schema={schema.schema as RJSFSchema}
            uiSchema={(schema.uiSchema ?? {}) as UiSchema}
            validator={validator}
            onSubmit={async ({ formData }) => {
              const result = await call('/api/connection', { connection: formData });
              props.onConnected(result.connection ?? null, result);
              setEditing(false);
            }}
          >
            <button type="submit" className="primary">
              Connect and test
            </button>
          </Form>
        </div>
      )}
      {props.check && (
        <p data-testid="connection-check" className={props.check.ok ? 'status-ok' : 'status-fail'}>
          {props.check.message}
        </p>
      )}
    </div>
  );
}

function ActionList(props: { actions: Json[]; selected: string | null; onSelect: (key: string) => void }) {
  const [search, setSearch] = useState('');
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = props.actions.filter((a) =>
    words.every((w) => `${a.key} ${a.title} ${a.category}`.toLowerCase().includes(w)),
  );
  const categories = [...new Set(shown.map((a) => a.category))];
  return (
    <div>
      <h2>Actions</h2>
      <input
        type="search"
        placeholder="Search actions"
        aria-label="Search actions"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {categories.map((category) => (
        <div key={category}>
          <h3>{category}</h3>
          <ul>
            {shown
              .filter((a) => a.category === category)
              .map((a) => (
                <li key={a.key}>
                  <button
                    type="button"
                    data-action={a.key}
                    className={a.key === props.selected ? 'selected' : ''}
                    onClick={() => props.onSelect(a.key)}
                  >
                    {a.title}
                  </button>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function ActionPanel({ action }: { action: Json }) {
  const [schema, setSchema] = useState<Json>(action.input);
  const [source, setSource] = useState('the manifest');
  const [formData, setFormData] = useState<Json>({});
  const [result, setResult] = useState<Json | null>(null);
  useEffect(() => {
    void call('/api/input-schema', { action: action.key }).then((answer) => {
      if (answer.ok && answer.output?.schema) {
        setSchema(answer.output.schema);
        if (answer.output.source === 'org')
          setSource(`your org (${(answer.output.custom ?? []).length} custom attributes)`);
      }
    });
  }, [action.key]);
  const uiSchema = useMemo(() => withLookups(schema, action.uiSchema ?? {}), [schema, action.uiSchema]);
  const run = async (dryRun: boolean) =>
    setResult(await call('/api/run', { action: action.key, input: formData, dryRun }));
  return (
    <>
      <section>
        <h2>{action.title}</h2>
        <p className="field-description">{action.description}</p>
        <p className="field-description">Fields from {source}.</p>
        <Form
          schema={schema as RJSFSchema}
          uiSchema={uiSchema}
          formData={formData}
          validator={validator}
          widgets={widgets}
          formContext={{ action: action.key, formData }}
          onChange={({ formData: data }) => setFormData(data ?? {})}
          onSubmit={() => void run(false)}
        >
          <div className="buttons">
            {!action.annotations.readOnly && (
              <button
                type="button"
                className="secondary"
                data-testid="dry-run"
                onClick={() => void run(true)}
              >
                Dry run
              </button>
            )}
            <button type="submit" className="primary" data-testid="run">
              Run
            </button>
          </div>
        </Form>
      </section>
      <section>
        <h2>Result</h2>
        {result ? <pre data-testid="result">{JSON.stringify(result, null, 2)}</pre> : <p>Nothing run yet.</p>}
      </section>
    </>
  );
}

/** The layout hints, plus the picker on every field (or array of fields) whose schema has `x-lookup`. */
function withLookups(schema: Json, uiSchema: Json): UiSchema {
  const ui: Json = { ...uiSchema };
  for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
    const field = resolve(schema, property);
    const item = field.type === 'array' && field.items ? resolve(schema, field.items) : undefined;
    if (field['x-lookup'] && !field['x-lookup'].none)
      ui[name] = {
        ...ui[name],
        'ui:widget': 'lookup',
        'ui:options': { ...ui[name]?.['ui:options'], lookupField: name },
      };
    else if (item?.['x-lookup'] && !item['x-lookup'].none)
      ui[name] = { ...ui[name], items: { 'ui:widget': 'lookup', 'ui:options': { lookupField: name } } };
  }
  return ui as UiSchema;
}

function resolve(root: Json, node: Json): Json {
  const ref = typeof node.$ref === 'string' ? node.$ref.replace('#/definitions/', '') : undefined;
  return ref ? { ...root.definitions?.[ref], ...node } : node;
}

createRoot(document.getElementById('root') as HTMLElement).render(<App />);
