/** @module Test-only stand-ins for intake's ports: a scripted `DocumentReader`. */
export { ScriptedReader, tinyPng } from './scripted-reader.js';
