/**
 * A picker for a field whose schema has `x-lookup`: the field stays a text box (a pasted id or login is
 * fine), and "Pick" lists the options lookup() finds, with a search box and "More" for the next page.
 */

import type { WidgetProps } from '@rjsf/utils';
import { useState } from 'react';
import { call } from './api-client.js';

interface Option {
  value: string;
  label: string;
  description?: string | null;
}

export function LookupWidget(props: WidgetProps) {
  const { id, value, onChange, registry, disabled, readonly } = props;
  const context = registry.formContext as { action: string; formData: Record<string, unknown> };
  const field = (props.options as { lookupField?: string }).lookupField ?? '';
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async (more: boolean) => {
    const answer = await call('/api/lookup', {
      action: context.action,
      field,
      search,
      input: context.formData,
      ...(more && cursor ? { cursor } : {}),
    });
    if (!answer.ok) return setProblem(answer.error?.message ?? 'The lookup failed.');
    setProblem(null);
    setOptions(more ? [...options, ...answer.output.options] : answer.output.options);
    setCursor(answer.output.nextCursor ?? null);
  };
  return (
    <div>
      <div className="lookup">
        <input
          id={id}
          type="text"
          value={value ?? ''}
          disabled={disabled || readonly}
          placeholder="Paste an id, or pick one"
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        />
        <button
          type="button"
          className="secondary"
          data-lookup={field}
          onClick={() => {
            setOpen(!open);
            if (!open) void load(false);
          }}
        >
          Pick
        </button>
      </div>
      {open && (
        <div>
          <input
            type="search"
            placeholder="Search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void load(false);
              }
            }}
          />
          {problem && <div className="errors">{problem}</div>}
          <ul>
            {options.map((option) => (
              <li key={option.value}>
                <button
                  type="button"
                  data-option={option.value}
                  onClick={() => {
                    onChange(option.value);
                    setOpen(false);
                  }}
                >
                  {option.label} <small>{option.description ?? option.value}</small>
                </button>
              </li>
            ))}
          </ul>
          {cursor && (
            <button type="button" className="secondary" onClick={() => void load(true)}>
              More
            </button>
          )}
        </div>
      )}
    </div>
  );
}
