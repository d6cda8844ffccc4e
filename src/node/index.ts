/** The Node-only entry `tsgrad/node`: helpers that need the file system. */

export { saveFile, loadFile, loadFileWithMetadata } from './files.js';
