// Finds the synthesized resource behind a construct, so tests can follow the catalogue entry → construct
// → template path instead of guessing logical ids.

import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  [key: string]: unknown;
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Principal?: unknown;
  Sid?: string;
}

/** The logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(element)) as string;
}

export function resourceOf(template: Template, construct: IConstruct): TemplateResource {
  const id = logicalIdOf(construct);
  const resource = (template.toJSON().Resources as Record<string, TemplateResource>)[id];
  if (!resource) throw new Error(`No resource ${id} for ${construct.node.path}`);
  return resource;
}

/** `{ Ref }` / `{ Fn::GetAtt }` pointing at the construct, for matching references in properties. */
export function refTo(construct: IConstruct): { Ref: string } {
  return { Ref: logicalIdOf(construct) };
}

export function arnOf(construct: IConstruct, attribute = 'Arn'): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalIdOf(construct), attribute] };
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every Allow statement of the inline policies attached to a role (its DefaultPolicy). */
export function roleStatements(template: Template, role: IConstruct): PolicyStatement[] {
  const roleId = logicalIdOf(role);
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, TemplateResource>;
  return Object.values(policies)
    .filter((policy) =>
      ((policy.Properties.Roles as unknown[]) ?? []).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow');
}

export function mentions(value: unknown, construct: IConstruct): boolean {
  return JSON.stringify(value).includes(`"${logicalIdOf(construct)}"`);
}
