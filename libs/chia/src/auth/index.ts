export {
  authenticationTokenWindow,
  getCurrentAuthenticationToken,
  validateAuthenticationToken,
} from './v1-authentication-token';
export type { AuthenticationTokenWindow } from './v1-authentication-token';
export { buildV2AuthMessage } from './v2-auth-message';
export {
  AuthenticationJwtError,
  JWT_ALGORITHM,
  MIN_JWT_KEY_BYTES,
  issueAuthenticationJwt,
  verifyAuthenticationJwt,
} from './v2-authentication-jwt';
export type {
  AuthenticationJwtFailure,
  IssueAuthenticationJwtInput,
  IssuedAuthenticationJwt,
  VerifiedAuthenticationJwt,
  VerifyAuthenticationJwtInput,
} from './v2-authentication-jwt';
