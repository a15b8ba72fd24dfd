/**
 * The cluster records a member keeps and the offline tools write: member and cluster ids derived
 * as etcd derives them, and the member list stored in the backend (so a snapshot carries it).
 */
package kv.admin.cluster;
