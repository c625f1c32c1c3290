// Doorkeeper's OAuth 2.0 error codes and the English descriptions it sends with them.

/** An OAuth 2.0 error code the emulator can answer with (RFC 6749 sections 4.1.2.1 and 5.2). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'invalid_redirect_uri'
  | 'invalid_code_challenge_method'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'access_denied';

/** Doorkeeper 5.5's `en.yml` descriptions, so error bodies read like Eventpop's. */
export const errorDescriptions: Readonly<Record<OAuthErrorCode, string>> = {
  invalid_request:
    'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  invalid_redirect_uri: "The requested redirect uri is malformed or doesn't match client redirect URI.",
  invalid_code_challenge_method: 'The code challenge method must be plain or S256.',
  unauthorized_client: 'The client is not authorized to perform this request using this method.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  access_denied: 'The resource owner or authorization server denied the request.',
};

/** Doorkeeper's description for a missing parameter. */
export function missingParam(name: string): string {
  return `Missing required parameter: ${name}.`;
}
