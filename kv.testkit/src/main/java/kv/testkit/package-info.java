/**
 * Test support shared by kv's modules: assertions over compiled module descriptors and checks that
 * keep the dependency graph honest. Test scope only.
 */
package kv.testkit;
