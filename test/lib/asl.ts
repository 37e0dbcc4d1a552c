/**
 * Reads a synthesised state machine's definition back as ASL: the DefinitionString is an Fn::Join of
 * text and references; references become `<REF>` so the JSON parses and the structure can be asserted.
 */
import type { Template } from 'aws-cdk-lib/assertions';

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string;
  ResultSelector?: Record<string, string>;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; BackoffRate?: number; MaxAttempts?: number; JitterStrategy?: string }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: { Variable: string; IsPresent?: boolean; Next: string }[];
  Default?: string;
  TimestampPath?: string;
  Error?: string;
  CausePath?: string;
}

export interface Asl {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}

export function renderAsl(template: Template): Asl {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as { Properties: { DefinitionString: unknown } }[];
  if (!machine) throw new Error('no state machine in the template');
  const def = machine.Properties.DefinitionString as { 'Fn::Join'?: [string, unknown[]] } | string;
  const text = typeof def === 'string' ? def : (def['Fn::Join']?.[1] ?? []).map((p) => (typeof p === 'string' ? p : '<REF>')).join('');
  return JSON.parse(text) as Asl;
}

/** Follows Next from StartAt through the happy path (Choice: its Default). */
export function happyPath(asl: Asl): string[] {
  const out: string[] = [];
  let name: string | undefined = asl.StartAt;
  for (let guard = 0; name !== undefined && guard < 50; guard += 1) {
    out.push(name);
    const state: AslState | undefined = asl.States[name];
    name = state?.Type === 'Choice' ? state.Default : state?.Next;
  }
  return out;
}
