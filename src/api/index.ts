/** The HTTP API's shapes (zod): one source for the server, the OpenAPI document and the web app. */
export * from './admin';
export * from './agents';
export * from './auth';
export * from './calls';
export * from './campaigns';
export * from './common';
export * from './complaints';
export * from './customers';
export * from './desktop';
export * from './dialing';
export * from './dnc';
export * from './imports';
export * from './qa';
export * from './recordings';
export * from './routes';
export * from './users';
export * from './wall';
