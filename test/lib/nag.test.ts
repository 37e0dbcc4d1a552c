import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
// cdk-nag's own flattening, to check ours names findings the same way (it has no public export).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { acknowledgeWildcards, flattenReference, wildcardFindings } from '../../lib/nag';
import { ENV, testApp } from './stack-fixture';

describe('wildcard acknowledgements', () => {
  it('names findings exactly as cdk-nag does', () => {
    const refs = [
      'arn:aws:s3:::b/*',
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket1', 'Arn'] }, '/runs/*']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::logs/alb/*']] },
      { 'Fn::Sub': 'arn:${AWS::Partition}:logs:*' },
    ];
    for (const r of refs) expect(flattenReference(r)).toBe(flattenCfnReference(r));
    expect(wildcardFindings({ Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:PutObject'], Resource: refs[1] }] })).toEqual([
      'Action::s3:Get*',
      'Resource::<Bucket1.Arn>/runs/*',
    ]);
  });

  it('acknowledges only the justified wildcards: an unjustified one still fails the check', () => {
    // Given a role with a justified prefix wildcard and an unjustified action wildcard
    const app = testApp();
    const stack = new Stack(app, 'NagTest', { env: ENV });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('runs/*')] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn] }));
    acknowledgeWildcards(role, [{ finding: /^Resource::<Bucket\w+\.Arn>\/runs\/\*$/, reason: 'test' }]);
    Template.fromStack(stack); // runs the aspects
    // When cdk-nag checks it
    const iam5 = new AwsSolutionsChecks(app).validateScope(stack).violations.map((v) => v.ruleName).filter((r) => r.startsWith('AwsSolutions-IAM5'));
    // Then only the unjustified action wildcard is reported
    expect(iam5).toEqual(['AwsSolutions-IAM5[Action::s3:*]']);
  });
});
