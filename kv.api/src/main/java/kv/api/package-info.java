/** Facts about this build of kv that every layer and tool reports the same way (version, API level). */
package kv.api;
