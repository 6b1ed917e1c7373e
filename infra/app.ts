// The CDK app (`cdk synth`, `cdk deploy`): context in cdk.json or `-c key=value`; see infra/stack/deployment-settings.ts.
import { buildApp } from './stack/parcel-care-app.ts';

buildApp().app.synth();
