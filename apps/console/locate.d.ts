/** The folder `vite build` writes (index.html and hashed assets). */
export declare const consoleDistDir: string;
