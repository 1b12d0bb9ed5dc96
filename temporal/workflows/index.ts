// Every workflow type the worker registers. Only @temporalio/workflow and types may be imported here.
export { ping } from './ping.ts';
export { interpreter } from './interpreter.ts';
