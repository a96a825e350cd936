// Types of app-address.mjs, for the tests that import it.
export declare const APP_HOST: string;
export declare const APP_PORT: number;
export declare const APP_ORIGIN: string;
export declare function portTaken(port: number): Promise<boolean>;
export declare function portTakenMessage(port?: number, origin?: string): string;
