/** Reads IAM statements out of a synthesised template, per role, for least-privilege assertions. */
import type { Template } from 'aws-cdk-lib/assertions';
import { flattenReference } from '../../lib/nag';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Statements of every policy attached to the role whose logical id matches `rolePattern`. */
export function roleStatements(template: Template, rolePattern: RegExp): Statement[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => rolePattern.test(id));
  if (roles.length !== 1) throw new Error(`expected one role matching ${rolePattern}, found ${roles.join(', ') || 'none'}`);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }[];
  return policies.filter((p) => p.Properties.Roles.some((r) => r.Ref === roles[0])).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

export const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => asArray(s.Action));
/** Resources as flat strings (references rendered as `<Logical.Attr>`, as cdk-nag names them). */
export const resourcesOf = (statements: Statement[], action: string): string[] =>
  statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource)).map(flattenReference);
