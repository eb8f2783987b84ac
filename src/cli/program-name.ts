/** The name the CLI calls itself in messages, where Docker says "docker". */
export const PROGRAM = 'mydock';
export const VERSION = '0.1.0';
/** The Docker API version whose behaviour mydock reproduces. */
export const API_VERSION = '1.41';
