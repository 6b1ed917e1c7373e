// How staff sign in, shared by both app clients of the staff pool (staff tools, the workspace).
import { aws_cognito as cognito } from 'aws-cdk-lib';

/** The OAuth scopes the workspace asks for: identity only, never `aws.cognito.signin.user.admin`. */
export const staffOAuthScopes = [
  cognito.OAuthScope.OPENID,
  cognito.OAuthScope.EMAIL,
  cognito.OAuthScope.PROFILE,
];

/**
 * What a signed-in staff member may change about themselves: names and preferences, never `email` (or
 * `email_verified`), which the handlers trust for identity once verified.
 */
export const staffWritableAttributes = new cognito.ClientAttributes().withStandardAttributes({
  fullname: true,
  givenName: true,
  familyName: true,
  locale: true,
  timezone: true,
});
