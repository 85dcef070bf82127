declare const __GRAFT_VERSION__: string | undefined;

/** The app's version, injected at build time; 'dev' when running from source. */
export const APP_VERSION: string = typeof __GRAFT_VERSION__ === 'string' ? __GRAFT_VERSION__ : 'dev';
