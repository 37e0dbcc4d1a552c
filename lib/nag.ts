/**
 * cdk-nag v3 acknowledgements for wildcard IAM findings (AwsSolutions-IAM5). cdk-nag reports one
 * finding per wildcard action or resource, named after the resolved CloudFormation reference (e.g.
 * `Resource::<ResultsBucket1A2B.Arn>/runs/*`), and v3 acknowledges findings only by exact id. The
 * logical ids behind those names are known only once the policy is complete, so each construct
 * declares its justified patterns with a reason here, and an aspect acknowledges, at synthesis, exactly
 * the findings that match: a new wildcard that nobody justified still fails the check.
 */
import { Aspects, CfnResource, Stack, Validations, type IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export interface WildcardJustification {
  /** Matched against the finding after `AwsSolutions-IAM5[`, e.g. /^Resource::<ResultsBucket\w+\.Arn>\/runs\/\*$/. */
  readonly finding: RegExp;
  /** Why this wildcard is the narrowest grant that works. */
  readonly reason: string;
}

/** Flattens a resolved CloudFormation reference the way cdk-nag names its findings. */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (o['Fn::Sub'] !== undefined) return flattenReference(o['Fn::Sub']);
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (o['Fn::ImportValue'] !== undefined) return flattenReference(o['Fn::ImportValue']);
    if (o['Ref'] !== undefined) return `<${flattenReference(o['Ref'])}>`;
  }
  return JSON.stringify(node);
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The IAM5 findings of one policy document, as cdk-nag names them. */
export function wildcardFindings(document: { Statement?: Statement[] } | undefined): string[] {
  const out = new Set<string>();
  for (const s of document?.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    for (const a of asArray(s.Action)) if (a.includes('*')) out.add(`Action::${a}`);
    for (const r of asArray(s.Resource)) {
      const flat = flattenReference(r);
      if (flat.includes('*')) out.add(`Resource::${flat}`);
    }
  }
  return [...out];
}

class AcknowledgeJustifiedWildcards implements IAspect {
  constructor(private readonly rules: readonly WildcardJustification[]) {}

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const stack = Stack.of(node);
    const documents: unknown[] = [];
    if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) documents.push(node.policyDocument);
    else if (node instanceof iam.CfnRole) {
      for (const p of asArray(stack.resolve(node.policies) as unknown[])) {
        documents.push((stack.resolve(p) as { policyDocument?: unknown }).policyDocument);
      }
    } else return;
    for (const doc of documents) {
      for (const finding of wildcardFindings(stack.resolve(doc) as { Statement?: Statement[] })) {
        const rule = this.rules.find((r) => r.finding.test(finding));
        if (rule) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: rule.reason });
      }
    }
  }
}

/** Acknowledges, under `scope`, the IAM5 findings that match one of `rules` (and only those). */
export function acknowledgeWildcards(scope: IConstruct, rules: readonly WildcardJustification[]): void {
  Aspects.of(scope).add(new AcknowledgeJustifiedWildcards(rules));
}

/** Acknowledges one non-IAM5 rule on a construct, with its reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
