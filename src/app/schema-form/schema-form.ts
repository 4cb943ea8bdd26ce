/**
 * <schema-form>: a form generated from a JSON Schema (tool arguments, elicitation requests),
 * with a JSON mode for what a form cannot say. The form checks what the schema asks before
 * anything is sent; JSON mode sends what the person typed as is (a developer may want to send
 * what the schema forbids, to see what the server does). Server text (titles, descriptions) is
 * rendered as text.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { panelStyles } from '../panels/panel-styles.ts';
import { buildForm } from './build.ts';
import { isoToLocal, localToIso } from './datetime.ts';
import type { FieldError, FormField, JsonSchema } from './form-field.ts';
import { chooseVariant, fitsForm, pruneEmpty, validateValue } from './validate.ts';
import { deepEqual, initialValue } from './values.ts';

type Path = (string | number)[];

const INPUT_TYPE: Record<string, string> = { email: 'email', uri: 'url', url: 'url', date: 'date', 'date-time': 'datetime-local', time: 'time' };

let instances = 0;

/** An option's value attribute: the value itself for text (what a person or test sees), else JSON. */
function optionKey(value: unknown): string {
  return typeof value === 'string' ? value : `json:${JSON.stringify(value)}`;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    arr[head] = setAt(arr[head], rest, value);
    return arr;
  }
  const obj = typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  const next = setAt(obj[head!], rest, value);
  if (next === undefined) delete obj[head!];
  else obj[head!] = next;
  return obj;
}

function getAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  return node;
}

export class SchemaForm extends LitElement {
  static override properties = {
    schema: { attribute: false },
    label: { attribute: false },
    value: { attribute: false },
    mode: { state: true },
    jsonText: { state: true },
    errors: { state: true },
  };

  declare schema: JsonSchema;
  declare label: string;
  declare value: unknown;
  declare mode: 'form' | 'json';
  declare jsonText: string;
  /** Messages by path ('' is the whole value). */
  declare errors: Map<string, string>;
  private root: FormField | undefined;
  private warnings: string[] = [];
  /** Chosen variant of each anyOf/oneOf field, by path. */
  private readonly choices = new Map<string, number>();
  /** Text of raw JSON fields while it does not parse yet, by path. */
  private readonly rawText = new Map<string, string>();
  /** Number inputs holding text that is no number (e.g. "2e"), by path. */
  private readonly badNumbers = new Set<string>();
  /** Element ids by path: unique within the shadow root whatever the property keys are. */
  private readonly ids = new Map<string, string>();
  /** The last value this element set itself; any other value set from outside is loaded anew. */
  private own: unknown;
  private readonly uid = ++instances;

  constructor() {
    super();
    this.schema = { type: 'object' };
    this.label = 'Value';
    this.mode = 'form';
    this.jsonText = '';
    this.errors = new Map();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('schema')) {
      const built = buildForm(this.schema);
      this.warnings = built.warnings;
      this.root = built.root.kind === 'raw' ? undefined : built.root;
      this.ids.clear();
      this.mode = this.root ? 'form' : 'json';
      const given = changed.has('value') && this.value !== undefined;
      const start = given ? this.value : this.root ? initialValue(this.root) : (initialValue(built.root) ?? {});
      this.load(start);
    } else if (changed.has('value') && this.value !== this.own) {
      this.load(this.value);
    }
  }

  /** Loads a value set from outside: into the form if it fits, else into the JSON editor with why. */
  private load(value: unknown): void {
    this.choices.clear();
    this.rawText.clear();
    this.badNumbers.clear();
    this.errors = new Map();
    this.own = this.value = value;
    this.jsonText = JSON.stringify(value ?? {}, null, 2);
    const misfit = this.root && value !== undefined ? fitsForm(this.root, value) : undefined;
    if (misfit) {
      this.mode = 'json';
      this.errors = new Map([['', `is shown as JSON: the form cannot show it (${misfit})`]]);
    }
  }

  private setOwn(value: unknown): void {
    this.own = this.value = value;
  }

  /**
   * Validates, shows errors next to fields (aria-invalid + aria-describedby, focus on the first
   * invalid one), and returns the value to send, or the errors. In JSON mode the text must parse;
   * it is sent as typed (not checked against the schema).
   */
  read(): { ok: true; value: Record<string, unknown> | unknown } | { ok: false; errors: FieldError[] } {
    if (this.mode === 'json') {
      try {
        const value = JSON.parse(this.jsonText.trim() || '{}') as unknown;
        this.errors = new Map();
        return { ok: true, value };
      } catch (err) {
        const errors = [{ path: '', message: `is not JSON: ${(err as Error).message}` }];
        this.errors = new Map([['', errors[0]!.message]]);
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('textarea')?.focus());
        return { ok: false, errors };
      }
    }
    const inputErrors = [
      ...[...this.rawText.keys()].map((path) => ({ path, message: 'is not valid JSON' })),
      ...[...this.badNumbers].map((path) => ({ path, message: 'must be a number' })),
    ];
    const seen = new Set(inputErrors.map((e) => e.path));
    const errors = [...inputErrors, ...(this.root ? validateValue(this.root, this.value).filter((e) => !seen.has(e.path)) : [])];
    this.errors = new Map(errors.map((e) => [e.path, e.message]));
    if (errors.length) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid]')?.focus());
      return { ok: false, errors };
    }
    return { ok: true, value: this.root ? (pruneEmpty(this.root, this.value) ?? {}) : this.value };
  }

  private setMode(mode: 'form' | 'json'): void {
    if (mode === this.mode) return;
    if (mode === 'json') {
      this.jsonText = JSON.stringify(this.root ? (pruneEmpty(this.root, this.value) ?? {}) : (this.value ?? {}), null, 2);
      this.errors = new Map();
      this.mode = 'json';
      return;
    }
    if (!this.root) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.jsonText.trim() || '{}') as unknown;
    } catch (err) {
      this.errors = new Map([['', `stays in JSON: it does not parse (${(err as Error).message})`]]);
      return;
    }
    const misfit = fitsForm(this.root, parsed);
    if (misfit) {
      this.errors = new Map([['', `stays in JSON: the form cannot show it (${misfit})`]]);
      return;
    }
    this.setOwn(parsed);
    this.choices.clear();
    this.rawText.clear();
    this.badNumbers.clear();
    this.errors = new Map();
    this.mode = 'form';
  }

  private setValueAt(path: Path, v: unknown): void {
    this.setOwn(setAt(this.value, path, v));
    this.clearError(path.join('.'));
  }

  private clearError(key: string): void {
    if (this.errors.has(key)) {
      const next = new Map(this.errors);
      next.delete(key);
      this.errors = next;
    }
  }

  private fieldId(path: Path): string {
    const key = JSON.stringify(path);
    let id = this.ids.get(key);
    if (!id) {
      id = `sf${this.uid}-f${this.ids.size}`;
      this.ids.set(key, id);
    }
    return id;
  }

  private jsonId(): string {
    return `sf${this.uid}-json`;
  }

  override render() {
    const whole = this.errors.get('');
    return html`<fieldset class="form">
      <legend class="sr-only">${this.label}</legend>
      <div class="mode" role="group" aria-label="Edit ${this.label} as">
        ${this.root
          ? html`<button type="button" aria-pressed=${this.mode === 'form' ? 'true' : 'false'} @click=${() => this.setMode('form')}>Form</button>`
          : nothing}
        <button type="button" aria-pressed=${this.mode === 'json' ? 'true' : 'false'} @click=${() => this.setMode('json')}>JSON</button>
      </div>
      ${this.warnings.map((w) => html`<p class="hint">${w}</p>`)}
      ${this.mode === 'json' || !this.root
        ? html`<label for=${this.jsonId()}>${this.label} (JSON)</label>
            <textarea
              id=${this.jsonId()}
              rows="6"
              spellcheck="false"
              autocapitalize="off"
              aria-invalid=${whole ? 'true' : 'false'}
              aria-describedby=${[!this.root ? `${this.jsonId()}-note` : '', whole ? `${this.jsonId()}-err` : ''].filter(Boolean).join(' ') || nothing}
              .value=${live(this.jsonText)}
              @input=${(e: Event) => this.jsonInput((e.target as HTMLTextAreaElement).value)}
            ></textarea>
            ${!this.root ? html`<p class="hint" id="${this.jsonId()}-note">This schema has no form; type the JSON value.</p>` : nothing}`
        : this.root.kind === 'object' && !this.root.properties?.length
          ? html`<p class="hint">No arguments.</p>`
          : this.renderField(this.root.label ? this.root : { ...this.root, label: this.label }, [], true)}
      ${whole ? html`<p class="error" id="${this.jsonId()}-err">${this.label} ${whole}</p>` : nothing}
    </fieldset>`;
  }

  /** JSON typed in JSON mode: kept as text; `value` follows it whenever it parses. */
  private jsonInput(text: string): void {
    this.jsonText = text;
    this.clearError('');
    try {
      this.setOwn(JSON.parse(text) as unknown);
    } catch {
      /* not JSON yet: read() and the switch to the form say so */
    }
  }

  private described(id: string, field: FormField, error: string | undefined): string | typeof nothing {
    const ids = [field.description ? `${id}-desc` : '', error ? `${id}-err` : ''].filter(Boolean);
    return ids.length ? ids.join(' ') : nothing;
  }

  private labelFor(id: string, field: FormField): TemplateResult {
    return html`<span class="lab"><label for=${id}>${field.label}</label>${field.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}</span>`;
  }

  private hintsFor(id: string, field: FormField, error: string | undefined): TemplateResult {
    return html`${field.description ? html`<span class="hint" id="${id}-desc">${field.description}</span>` : nothing}
    ${error ? html`<span class="error" id="${id}-err">${field.label} ${error}</span>` : nothing}`;
  }

  private renderField(field: FormField, path: Path, isRoot = false): TemplateResult {
    const id = this.fieldId(path);
    const key = path.join('.');
    const error = this.errors.get(key);
    const value = getAt(this.value, path);
    const invalid = error ? 'true' : 'false';
    const describedBy = this.described(id, field, error);
    switch (field.kind) {
      case 'string': {
        const type = INPUT_TYPE[field.format ?? ''] ?? 'text';
        const shown = type === 'datetime-local' ? isoToLocal(value) : typeof value === 'string' ? value : '';
        return html`<div class="field">
          ${this.labelFor(id, field)}
          <input
            id=${id}
            type=${type}
            step=${type === 'datetime-local' || type === 'time' ? '1' : nothing}
            .value=${live(shown)}
            ?required=${field.required}
            aria-required=${field.required ? 'true' : 'false'}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            minlength=${field.minLength ?? nothing}
            maxlength=${field.maxLength ?? nothing}
            autocomplete="off"
            @input=${(e: Event) => {
              const raw = (e.target as HTMLInputElement).value;
              this.setValueAt(path, type === 'datetime-local' ? localToIso(raw) || undefined : raw === '' ? undefined : raw);
            }}
          />
          ${this.hintsFor(id, field, error)}
        </div>`;
      }
      case 'number':
      case 'integer':
        return html`<div class="field">
          ${this.labelFor(id, field)}
          <input
            id=${id}
            type="number"
            inputmode=${field.kind === 'integer' ? 'numeric' : 'decimal'}
            step=${field.multipleOf !== undefined && field.multipleOf > 0 ? String(field.multipleOf) : field.kind === 'integer' ? '1' : 'any'}
            min=${field.minimum ?? nothing}
            max=${field.maximum ?? nothing}
            .value=${live(this.badNumbers.has(key) ? '' : typeof value === 'number' ? String(value) : '')}
            ?required=${field.required}
            aria-required=${field.required ? 'true' : 'false'}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @input=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              const n = input.valueAsNumber;
              // Text that is no number yet ("-", "2e") is kept in the input and reported by read().
              if (input.validity.badInput) this.badNumbers.add(key);
              else this.badNumbers.delete(key);
              this.setValueAt(path, Number.isNaN(n) ? undefined : n);
            }}
          />
          ${this.hintsFor(id, field, error)}
        </div>`;
      case 'boolean':
        return html`<div class="field check">
          <input
            id=${id}
            type="checkbox"
            .checked=${live(value === true)}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @change=${(e: Event) => this.setValueAt(path, (e.target as HTMLInputElement).checked)}
          />
          ${this.labelFor(id, field)} ${this.hintsFor(id, field, error)}
        </div>`;
      case 'enum': {
        const options = field.options!;
        const index = options.findIndex((o) => JSON.stringify(o.value) === JSON.stringify(value));
        return html`<div class="field">
          ${this.labelFor(id, field)}
          <select
            id=${id}
            ?required=${field.required}
            aria-required=${field.required ? 'true' : 'false'}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @change=${(e: Event) => {
              const k = (e.target as HTMLSelectElement).value;
              this.setValueAt(path, options.find((o) => optionKey(o.value) === k)?.value);
            }}
          >
            ${field.required && index >= 0 ? nothing : html`<option value="" ?selected=${index < 0}>(none)</option>`}
            ${options.map((o, i) => html`<option value=${optionKey(o.value)} ?selected=${i === index}>${o.label}</option>`)}
          </select>
          ${this.hintsFor(id, field, error)}
        </div>`;
      }
      case 'multi-enum': {
        const chosen = Array.isArray(value) ? value : [];
        return html`<fieldset class="group" aria-describedby=${describedBy} id=${id}>
          <legend>${field.label}${field.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}</legend>
          ${field.options!.length ? nothing : html`<span class="hint">No choices offered.</span>`}
          ${field.options!.map(
            (o, i) => html`<div class="check">
              <input
                id="${id}-${i}"
                type="checkbox"
                .checked=${live(chosen.some((c) => deepEqual(c, o.value)))}
                aria-invalid=${invalid}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  const next = field.options!.map((x) => x.value).filter((v) => (v === o.value ? on : chosen.some((c) => deepEqual(c, v))));
                  this.setValueAt(path, next.length || field.required ? next : undefined);
                }}
              />
              <label for="${id}-${i}">${o.label}</label>
            </div>`,
          )}
          ${this.hintsFor(id, field, error)}
        </fieldset>`;
      }
      case 'object': {
        const inner = (field.properties ?? []).map((p) => this.renderField(p, [...path, p.key]));
        if (isRoot) return html`<div class="fields">${inner}</div>`;
        return html`<fieldset class="group" id=${id} aria-describedby=${describedBy}>
          <legend>${field.label}${field.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}</legend>
          ${field.description ? html`<span class="hint" id="${id}-desc">${field.description}</span>` : nothing}
          <div class="fields">${inner}</div>
        </fieldset>`;
      }
      case 'array': {
        const items = Array.isArray(value) ? value : [];
        const max = field.maxItems ?? Infinity;
        return html`<fieldset class="group" id=${id} aria-describedby=${describedBy} tabindex=${error ? '-1' : nothing} ?data-invalid=${!!error}>
          <legend>${field.label}${field.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}</legend>
          ${field.description ? html`<span class="hint" id="${id}-desc">${field.description}</span>` : nothing}
          <ol class="items">
            ${items.map(
              (_v, i) => html`<li>
                ${this.renderField({ ...field.items!, label: `${field.label} ${i + 1}`, required: true }, [...path, i])}
                <button
                  type="button"
                  @click=${() => {
                    const next = items.filter((_x, j) => j !== i);
                    this.forgetUnder(key);
                    this.setValueAt(path, next.length || field.required ? next : undefined);
                  }}
                >
                  Remove ${field.label} ${i + 1}
                </button>
              </li>`,
            )}
          </ol>
          <button
            type="button"
            ?disabled=${items.length >= max}
            @click=${() => {
              this.setValueAt(path, [...items, initialValue(field.items!)]);
              // Focus the new item's first input.
              void this.updateComplete.then(() =>
                this.renderRoot.querySelector<HTMLElement>(`#${id} > ol > li:last-child :is(input, select, textarea)`)?.focus(),
              );
            }}
          >
            Add ${field.label}
          </button>
          ${error ? html`<span class="error" id="${id}-err">${field.label} ${error}</span>` : nothing}
        </fieldset>`;
      }
      case 'choice': {
        const variants = field.variants!;
        const chosen = this.choices.get(key) ?? (value === undefined ? (field.required ? 0 : -1) : chooseVariant(field, value));
        return html`<div class="field">
          ${this.labelFor(id, field)}
          <select
            id=${id}
            ?required=${field.required}
            aria-required=${field.required ? 'true' : 'false'}
            aria-describedby=${describedBy}
            aria-invalid=${invalid}
            @change=${(e: Event) => {
              const i = Number((e.target as HTMLSelectElement).value);
              this.forgetUnder(key);
              this.choices.set(key, i);
              this.setValueAt(path, i >= 0 ? initialValue(variants[i]!.field) : undefined);
            }}
          >
            ${field.required ? nothing : html`<option value="-1" ?selected=${chosen < 0}>(none)</option>`}
            ${variants.map((v, i) => html`<option value=${i} ?selected=${i === chosen}>${v.label}</option>`)}
          </select>
          ${this.hintsFor(id, field, error)}
          ${chosen >= 0 ? this.renderVariant(variants[chosen]!.field, field, path) : nothing}
        </div>`;
      }
      case 'raw': {
        const text = this.rawText.get(key) ?? (value === undefined ? '' : JSON.stringify(value, null, 2));
        const bad = this.rawText.has(key);
        return html`<div class="field">
          ${this.labelFor(id, field)}
          <textarea
            id=${id}
            rows="3"
            spellcheck="false"
            aria-invalid=${bad || error ? 'true' : 'false'}
            aria-describedby=${[field.description ? `${id}-desc` : '', `${id}-note`, error ? `${id}-err` : ''].filter(Boolean).join(' ')}
            .value=${live(text)}
            @input=${(e: Event) => {
              const t = (e.target as HTMLTextAreaElement).value;
              if (!t.trim()) {
                this.rawText.delete(key);
                return this.setValueAt(path, undefined);
              }
              try {
                const parsed = JSON.parse(t) as unknown;
                this.rawText.delete(key);
                this.setValueAt(path, parsed);
              } catch {
                this.rawText.set(key, t);
                this.requestUpdate();
              }
            }}
          ></textarea>
          <span class="hint" id="${id}-note">JSON${field.note ? ` (${field.note})` : ''}${bad ? ': not valid JSON yet' : ''}.</span>
          ${this.hintsFor(id, field, error)}
        </div>`;
      }
    }
  }

  /** Forgets per-input state (choices, unparsed text) below a path whose items or variant change. */
  private forgetUnder(key: string): void {
    const under = (k: string) => k !== key && (key === '' || k.startsWith(`${key}.`));
    for (const k of [...this.choices.keys()]) if (under(k)) this.choices.delete(k);
    for (const k of [...this.rawText.keys()]) if (under(k)) this.rawText.delete(k);
    for (const k of [...this.badNumbers]) if (under(k)) this.badNumbers.delete(k);
    for (const k of [...this.errors.keys()]) if (under(k) || k === key) this.clearError(k);
  }

  /** The chosen variant's own fields, under the choice (an object's properties inline). */
  private renderVariant(variant: FormField, choice: FormField, path: Path): TemplateResult {
    if (variant.kind === 'object') {
      // A single-const property is the variant's tag: fixed by the choice, not asked again.
      const asked = (variant.properties ?? []).filter((p) => !(p.kind === 'enum' && p.options?.length === 1));
      return html`<div class="fields variant">${asked.map((p) => this.renderField(p, [...path, p.key]))}</div>`;
    }
    if (variant.kind === 'enum' && variant.options?.length === 1) return html``;
    return html`<div class="variant">${this.renderField({ ...variant, label: `${choice.label} value`, required: true }, path)}</div>`;
  }

  static override styles = [
    panelStyles,
    css`
      fieldset { border: none; margin: 0; padding: 0; min-width: 0; }
      fieldset.group { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.6rem; }
      legend { font-size: 0.85rem; color: var(--muted); padding: 0 0.2rem; }
      /* minmax(0, 1fr): a long word or wide input never widens the form past its card. */
      .form { display: grid; gap: 0.4rem; grid-template-columns: minmax(0, 1fr); }
      .fields { display: grid; gap: 0.45rem; grid-template-columns: minmax(0, 1fr); }
      .field { display: grid; gap: 0.15rem; min-width: 0; grid-template-columns: minmax(0, 1fr); }
      .field.check, .check { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
      .field > input, .field > select, .field > textarea { width: 100%; }
      .field.check > input, .check > input { width: auto; }
      .req { color: var(--err); margin-left: 0.15rem; }
      .lab { overflow-wrap: anywhere; }
      .mode { display: flex; gap: 0.3rem; }
      .mode button { padding: 0.15rem 0.6rem; font-size: 0.8rem; }
      .mode button[aria-pressed='true'] { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
      .items { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }
      .items li { display: grid; gap: 0.2rem; }
      .items li > button { justify-self: start; }
      .variant { border-left: 3px solid var(--line); padding-left: 0.5rem; margin-top: 0.3rem; }
      .error { font-size: 0.85rem; }
      .hint { margin: 0; }
      [aria-invalid='true'] { border-color: var(--err); }
    `,
  ];
}

customElements.define('schema-form', SchemaForm);

