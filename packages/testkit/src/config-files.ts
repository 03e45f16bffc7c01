/**
 * A configuration file (`gatekeeper validate/diff/apply -f`, the admin API's config plan/apply): one route, one
 * client with an API key, its grant. The CLI's and the admin API's tests both read this one text.
 */
export const ORDERS_FILE = `version: 1
routes:
  - domain: api.example.com
    route_pattern: /orders/*
    service_name: orders
    methods:
      GET: { auth_required: true, auth_type: api_key }
clients:
  - client_name: billing
    credentials: [{ kind: api_key }]
permissions:
  - client_name: billing
    domain: api.example.com
    route_pattern: /orders/*
    allowed_methods: [GET]
`
