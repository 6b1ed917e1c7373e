// swagger-ui-dist ships no types; the one call the docs page makes.
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  export default function SwaggerUIBundle(options: {
    url: string;
    dom_id: string;
    deepLinking?: boolean;
    docExpansion?: 'list' | 'full' | 'none';
    tryItOutEnabled?: boolean;
  }): unknown;
}
