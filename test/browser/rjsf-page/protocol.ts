/**
 * What the RJSF page (page.ts, in the browser) and its drivers (tests, a playground) exchange. Plain JSON
 * only: it crosses from Node to the page through Playwright.
 */

/** A form to draw: a JSON Schema, its layout hints (an RJSF uiSchema) and, optionally, starting values. */
export interface FormSpec {
  schema: Record<string, unknown>;
  uiSchema?: Record<string, unknown>;
  formData?: unknown;
}

/** One error as RJSF reports it (its `stack` is the line its error list shows). */
export interface FormError {
  property: string;
  message: string;
  stack: string;
}

/** The form as it stands: its current data, and what the last submit gave (data, or errors). */
export interface FormState {
  /** The form's data now (RJSF's own state), as JSON: undefined values dropped. */
  formData: unknown;
  /** The data of the last submit that passed validation, or null. */
  submitted: unknown;
  /** The errors of the last submit that did not pass, or null. */
  errors: FormError[] | null;
}

/** What page.ts puts on the page's global object as `rjsfPage`. */
export interface RjsfPage {
  /** Draws a fresh form (nothing kept from the one before) and resolves once it is on the page. */
  render(spec: FormSpec): void;
  state(): FormState;
}
