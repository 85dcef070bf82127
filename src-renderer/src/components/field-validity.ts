import { inject, provide, type InjectionKey } from 'vue';

/** Told whether a field's text is a valid value: null when it is, else what is wrong. */
export type FieldValidity = (fieldId: string, message: string | null) => void;

const KEY: InjectionKey<FieldValidity> = Symbol('field-validity');

/** Lets the fields below this component report invalid text (e.g. so a Train button waits for a fix). */
export function provideFieldValidity(report: FieldValidity): void {
  provide(KEY, report);
}

/** The nearest reporter of field validity, or a no-op outside one. */
export function useFieldValidity(): FieldValidity {
  return inject(KEY, () => undefined);
}
