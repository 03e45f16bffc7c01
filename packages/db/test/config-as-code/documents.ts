// Pieces of configuration documents that the configuration-as-code tests (unit and integration) start from.

/** An exact-domain prefix route: GET takes an API key, POST an HMAC signature. */
export const ORDERS_ROUTE = {
  domain: 'api.example.com',
  route_pattern: '/orders/*',
  service_name: 'orders',
  methods: { GET: { auth_required: true, auth_type: 'api_key' }, POST: { auth_required: true, auth_type: 'hmac' } },
}
