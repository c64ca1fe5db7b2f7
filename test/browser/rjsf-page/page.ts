/// <reference lib="dom" />
/**
 * The browser side of the RJSF page: react-jsonschema-form 6 with its default theme, default settings and
 * the Ajv 8 validator, drawing whatever form it is given (`globalThis.rjsfPage.render(spec)`) into
 * #root, and keeping what the form reports (its data, a submit's data or errors) for whoever drives it.
 * Bundled by test/browser/kit/page-server.ts; no test knowledge here, so a playground can reuse it.
 */

import type { IChangeEvent } from '@rjsf/core';
import Form from '@rjsf/core';
import type { RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { type Component, createElement, createRef } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { FormError, FormSpec, FormState, RjsfPage } from './protocol.js';

const container = document.getElementById('root');
if (!container) throw new Error('the page has no #root element');
const root = createRoot(container);

type FormInstance = Component<unknown, { formData?: unknown }>;
let formRef = createRef<FormInstance>();
let drawn = 0;
let submitted: unknown = null;
let errors: FormError[] | null = null;

/** As JSON would carry it: undefined values dropped, no class instances. */
const asJson = (value: unknown): unknown =>
  value === undefined ? undefined : JSON.parse(JSON.stringify(value));

function render(spec: FormSpec): void {
  formRef = createRef<FormInstance>();
  submitted = null;
  errors = null;
  drawn += 1;
  flushSync(() => {
    root.render(
      createElement(Form, {
        // A new key per form: React draws it from scratch, keeping no state of the one before.
        key: drawn,
        ref: formRef as never,
        schema: spec.schema as RJSFSchema,
        uiSchema: spec.uiSchema as UiSchema | undefined,
        formData: spec.formData,
        validator,
        onSubmit: (event: IChangeEvent) => {
          submitted = asJson(event.formData) ?? null;
          errors = null;
        },
        onError: (list: RJSFValidationError[]) => {
          submitted = null;
          errors = list.map((e) => ({
            property: e.property ?? '',
            message: e.message ?? '',
            stack: e.stack,
          }));
        },
      }),
    );
  });
}

function state(): FormState {
  return {
    formData: asJson(formRef.current?.state.formData),
    submitted,
    errors,
  };
}

const page: RjsfPage = { render, state };
(globalThis as unknown as { rjsfPage: RjsfPage }).rjsfPage = page;
