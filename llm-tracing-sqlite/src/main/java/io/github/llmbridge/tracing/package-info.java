/**
 * SQLite tracing of every call (decorator, trace store and queries). The module is in the build
 * from the start so its dependency (sqlite-jdbc) is pinned and proven to load on every machine
 * the build runs on; its API arrives with the tracing issue.
 */
package io.github.llmbridge.tracing;
