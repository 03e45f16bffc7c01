export type V1AuthorizationParams = {
  clientId: string
  timestamp: number
  nonce: string
  signature: string
}

/** `HMAC client_id="<id>",timestamp="<epoch>",nonce="<nonce>",signature="<hex>"`, byte for byte as the original system. */
export function formatV1Authorization(params: V1AuthorizationParams): string {
  return `HMAC client_id="${params.clientId}",timestamp="${params.timestamp}",nonce="${params.nonce}",signature="${params.signature}"`
}

export type V2AuthorizationParams = V1AuthorizationParams

/** `HMAC version="2",client_id="<id>",timestamp="<epoch>",nonce="<nonce>",signature="<hex>"`. */
export function formatV2Authorization(params: V2AuthorizationParams): string {
  return `HMAC version="2",client_id="${params.clientId}",timestamp="${params.timestamp}",nonce="${params.nonce}",signature="${params.signature}"`
}
