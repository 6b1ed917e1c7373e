import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Stack, Stage, aws_sqs as sqs, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './synth-app.ts';

interface Finding {
  plugin: string;
  rule: string;
  severity: string;
  paths: string[];
  description: string;
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{
      ruleName: string;
      severity: string;
      description: string;
      violatingConstructs?: Array<{ constructPath?: string }>;
    }>;
  }>;
}

/** Synthesizes as `cdk synth` does and returns every finding of every validation plugin. */
function synthesize(app: App): { findings: Finding[]; failure?: string } {
  let failure: string | undefined;
  try {
    app.synth();
  } catch (error) {
    failure = (error as Error).message;
  }
  const reportFile = join(app.outdir, 'validation-report.json');
  if (!existsSync(reportFile)) return { findings: [], failure };
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((violation) => ({
      plugin: plugin.pluginName,
      rule: violation.ruleName,
      severity: violation.severity,
      paths: (violation.violatingConstructs ?? []).map((c) => c.constructPath ?? '?'),
      description: violation.description,
    })),
  );
  return { findings, failure };
}

function describeFindings(findings: Finding[]): string {
  return findings
    .map(
      (f) => `[${f.severity}] ${f.rule} (${f.plugin})\n    ${f.paths.join('\n    ')}\n    ${f.description}`,
    )
    .join('\n');
}

interface Acknowledgement {
  path: string;
  construct: IConstruct;
  id: string;
  reason: string;
}

function acknowledgementsIn(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          construct,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AWS Solutions checks', () => {
  let app: App;
  let result: { findings: Finding[]; failure?: string };

  beforeAll(() => {
    // Synthesis must not need an AWS account: no credentials, no lookups.
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    ({ app } = buildTestApp());
    result = synthesize(app);
  });

  it('leave no finding unacknowledged, error or warning', () => {
    if (result.findings.length > 0) console.error(describeFindings(result.findings));
    expect(result.findings.map((f) => `${f.rule} at ${f.paths.join(', ')}`)).toEqual([]);
    expect(result.failure).toBeUndefined();
  });

  it('ran over the whole stack, and find nothing when run directly either', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    if (!report.success) {
      console.error(
        describeFindings(
          report.violations.map((v) => ({
            plugin: 'AwsSolutions (direct)',
            rule: v.ruleName,
            severity: v.severity ?? 'error',
            paths: v.violatingResources.map((r) => r.constructPath ?? '?'),
            description: v.description,
          })),
        ),
      );
    }
    expect(report.violations).toEqual([]);
  });

  it('acknowledge findings one resource at a time, each with a written reason', () => {
    const acknowledgements = acknowledgementsIn(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+[0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
      // Never a blanket acknowledgement for a whole stack or app.
      expect(Stack.isStack(ack.construct) || Stage.isStage(ack.construct), ack.path).toBe(false);
      // Wildcard findings are acknowledged finding by finding, never the whole rule.
      if (ack.id.startsWith('AwsSolutions-IAM5'))
        expect(ack.id, ack.path).toMatch(/\[(Action|Resource)::.+\]$/);
    }
  });

  it('fail the synthesis when something is not compliant', () => {
    const { app: broken, stack } = buildTestApp();
    new sqs.Queue(stack, 'QueueWithoutDeadLetterQueue', { enforceSSL: true });
    const { findings, failure } = synthesize(broken);
    expect(findings.map((f) => f.rule)).toContain('AwsSolutions-SQS3');
    expect(failure).toMatch(/AwsSolutions-SQS3/);
  });
});
