// The API's WAF web ACL on its own, in us-east-1 (where CloudFront web ACLs must live), for a main stack
// deployed in another region:
//   npx cdk deploy --app 'node infra/edge-acl-app.ts' -c stage=prod
//   npx cdk deploy -c stage=prod -c wafWebAclArn=<the WebAclArn output> …
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { EdgeWebAcl } from './stack/api-edge.ts';
import { readDeploymentSettings } from './stack/deployment-settings.ts';

const app = new App();
const settings = readDeploymentSettings(app.node);
const stack = new Stack(app, `ParcelCareEdgeAcl-${settings.stage}`, {
  env: { region: 'us-east-1' },
  description: `Parcel Care API web ACL for CloudFront (${settings.stage})`,
});
const acl = new EdgeWebAcl(stack, 'ApiWebAcl', {
  name: `parcel-care-${settings.stage}-api`,
  ratePer5Minutes: settings.wafRateLimitPer5Minutes,
});
new CfnOutput(stack, 'WebAclArn', { value: acl.webAcl.attrArn, description: 'Pass as -c wafWebAclArn=…' });
app.synth();
