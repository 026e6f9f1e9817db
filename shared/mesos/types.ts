/**
 * Mesos v1 messages as plain objects, shaped like Mesos's own JSON mapping.
 *
 * - Field names are the proto field names (snake_case).
 * - Enum values are their names. A message decoded from a newer master can carry a value this
 *   schema does not list: protobuf decoding keeps its number and JSON decoding keeps its name.
 * - 64-bit integers (int64/uint64) are decimal strings, so values above 2^53 stay exact.
 * - `bytes` fields are `Uint8Array` (a Buffer is fine).
 * - An unset optional field is absent, never null. Repeated fields are arrays and may be absent
 *   when empty. Map fields are plain objects keyed by the map key.
 *
 * Nested proto messages are named `Outer_Inner`, e.g. `Offer_Operation` for `Offer.Operation`.
 */

/** A 64-bit integer as a decimal string, e.g. `'31000'` or `'18446744073709551615'`. */
export type Int64 = string;

/** A `bytes` field. */
export type Bytes = Uint8Array;

// ---------------------------------------------------------------------------------------------
// Identifiers and small value types
// ---------------------------------------------------------------------------------------------

export interface FrameworkID {
  value: string;
}

export interface OfferID {
  value: string;
}

export interface AgentID {
  value: string;
}

export interface TaskID {
  value: string;
}

export interface ExecutorID {
  value: string;
}

export interface ContainerID {
  value: string;
  parent?: ContainerID;
}

export interface ResourceProviderID {
  value: string;
}

export interface OperationID {
  value: string;
}

/** Nanoseconds since the Unix epoch. */
export interface TimeInfo {
  nanoseconds: Int64;
}

export interface DurationInfo {
  nanoseconds: Int64;
}

export interface Address {
  hostname?: string;
  ip?: string;
  port: number;
}

export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: Parameter[];
  fragment?: string;
}

export interface Unavailability {
  start: TimeInfo;
  duration?: DurationInfo;
}

export interface Parameter {
  key: string;
  value: string;
}

export interface Parameters {
  parameter?: Parameter[];
}

export interface Label {
  key: string;
  value?: string;
}

export interface Labels {
  labels?: Label[];
}

export interface UUID {
  value: Bytes;
}

/** `refuse_seconds` defaults to 5 when unset. */
export interface Filters {
  refuse_seconds?: number;
}

export interface KillPolicy {
  grace_period?: DurationInfo;
}

export interface Credential {
  principal: string;
  secret?: string;
}

export type Secret_Type = 'UNKNOWN' | 'REFERENCE' | 'VALUE';

export interface Secret {
  type?: Secret_Type;
  reference?: { name: string; key?: string };
  value?: { data: Bytes };
}

// ---------------------------------------------------------------------------------------------
// Framework and master
// ---------------------------------------------------------------------------------------------

export type FrameworkInfo_Capability_Type =
  | 'UNKNOWN'
  | 'REVOCABLE_RESOURCES'
  | 'TASK_KILLING_STATE'
  | 'GPU_RESOURCES'
  | 'SHARED_RESOURCES'
  | 'PARTITION_AWARE'
  | 'MULTI_ROLE'
  | 'RESERVATION_REFINEMENT'
  | 'REGION_AWARE';

export interface FrameworkInfo_Capability {
  type?: FrameworkInfo_Capability_Type;
}

export interface FrameworkInfo {
  user: string;
  name: string;
  id?: FrameworkID;
  failover_timeout?: number;
  checkpoint?: boolean;
  /** Deprecated by Mesos; must be absent when the MULTI_ROLE capability is set. */
  role?: string;
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: FrameworkInfo_Capability[];
  labels?: Labels;
  roles?: string[];
  offer_filters?: Record<string, OfferFilters>;
}

export interface OfferFilters_ResourceQuantities {
  quantities?: Record<string, Value_Scalar>;
}

export interface OfferFilters {
  min_allocatable_resources?: { quantities?: OfferFilters_ResourceQuantities[] };
}

export interface DomainInfo {
  fault_domain?: {
    region: { name: string };
    zone: { name: string };
  };
}

export type MasterInfo_Capability_Type = 'UNKNOWN' | 'AGENT_UPDATE' | 'AGENT_DRAINING' | 'QUOTA_V2';

export interface MasterInfo {
  id: string;
  /** IPv4 address in network byte order. */
  ip: number;
  port: number;
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
  domain?: DomainInfo;
  capabilities?: Array<{ type?: MasterInfo_Capability_Type }>;
}

// ---------------------------------------------------------------------------------------------
// Values, attributes and resources
// ---------------------------------------------------------------------------------------------

export type Value_Type = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';

export interface Value_Scalar {
  value: number;
}

/** An inclusive range. */
export interface Value_Range {
  begin: Int64;
  end: Int64;
}

export interface Value_Ranges {
  range?: Value_Range[];
}

export interface Value_Set {
  item?: string[];
}

export interface Value_Text {
  value: string;
}

export interface Value {
  type: Value_Type;
  scalar?: Value_Scalar;
  ranges?: Value_Ranges;
  set?: Value_Set;
  text?: Value_Text;
}

export interface Attribute {
  name: string;
  type: Value_Type;
  scalar?: Value_Scalar;
  ranges?: Value_Ranges;
  text?: Value_Text;
  set?: Value_Set;
}

export interface Resource_AllocationInfo {
  role?: string;
}

export type Resource_ReservationInfo_Type = 'UNKNOWN' | 'STATIC' | 'DYNAMIC';

export interface Resource_ReservationInfo {
  principal?: string;
  labels?: Labels;
  role?: string;
  type?: Resource_ReservationInfo_Type;
}

export type Resource_DiskInfo_Source_Type = 'UNKNOWN' | 'PATH' | 'MOUNT' | 'BLOCK' | 'RAW';

export interface Resource_DiskInfo {
  persistence?: { id: string; principal?: string };
  volume?: Volume;
  source?: {
    type: Resource_DiskInfo_Source_Type;
    path?: { root?: string };
    mount?: { root?: string };
    id?: string;
    metadata?: Labels;
    profile?: string;
    vendor?: string;
  };
}

export interface Resource {
  name: string;
  type: Value_Type;
  scalar?: Value_Scalar;
  ranges?: Value_Ranges;
  set?: Value_Set;
  /** Deprecated by Mesos in favour of `reservations`; `'*'` means unreserved. */
  role?: string;
  disk?: Resource_DiskInfo;
  reservation?: Resource_ReservationInfo;
  revocable?: Record<string, never>;
  shared?: Record<string, never>;
  allocation_info?: Resource_AllocationInfo;
  provider_id?: ResourceProviderID;
  reservations?: Resource_ReservationInfo[];
}

export interface Request {
  agent_id?: AgentID;
  resources?: Resource[];
}

// ---------------------------------------------------------------------------------------------
// Offers and operations
// ---------------------------------------------------------------------------------------------

export type Offer_Operation_Type =
  | 'UNKNOWN'
  | 'LAUNCH'
  | 'RESERVE'
  | 'UNRESERVE'
  | 'CREATE'
  | 'DESTROY'
  | 'LAUNCH_GROUP'
  | 'GROW_VOLUME'
  | 'SHRINK_VOLUME'
  | 'CREATE_DISK'
  | 'DESTROY_DISK';

export interface Offer_Operation_Launch {
  task_infos?: TaskInfo[];
}

export interface Offer_Operation_LaunchGroup {
  executor: ExecutorInfo;
  task_group: TaskGroupInfo;
}

export interface Offer_Operation {
  type?: Offer_Operation_Type;
  launch?: Offer_Operation_Launch;
  reserve?: { resources?: Resource[]; source?: Resource[] };
  unreserve?: { resources?: Resource[] };
  create?: { volumes?: Resource[] };
  destroy?: { volumes?: Resource[] };
  launch_group?: Offer_Operation_LaunchGroup;
  /** Must stay unset on LAUNCH and LAUNCH_GROUP. */
  id?: OperationID;
  grow_volume?: { volume: Resource; addition: Resource };
  shrink_volume?: { volume: Resource; subtract: Value_Scalar };
  create_disk?: {
    source: Resource;
    target_type: Resource_DiskInfo_Source_Type;
    target_profile?: string;
  };
  destroy_disk?: { source: Resource };
}

export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  resources?: Resource[];
  executor_ids?: ExecutorID[];
  attributes?: Attribute[];
  url?: URL;
  unavailability?: Unavailability;
  allocation_info?: Resource_AllocationInfo;
  domain?: DomainInfo;
}

export interface InverseOffer {
  id: OfferID;
  url?: URL;
  framework_id: FrameworkID;
  agent_id?: AgentID;
  unavailability: Unavailability;
  resources?: Resource[];
}

export type OperationState =
  | 'OPERATION_UNSUPPORTED'
  | 'OPERATION_PENDING'
  | 'OPERATION_FINISHED'
  | 'OPERATION_FAILED'
  | 'OPERATION_ERROR'
  | 'OPERATION_DROPPED'
  | 'OPERATION_UNREACHABLE'
  | 'OPERATION_GONE_BY_OPERATOR'
  | 'OPERATION_RECOVERING'
  | 'OPERATION_UNKNOWN';

export interface OperationStatus {
  operation_id?: OperationID;
  state: OperationState;
  message?: string;
  converted_resources?: Resource[];
  uuid?: UUID;
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
}

// ---------------------------------------------------------------------------------------------
// Tasks, commands and executors
// ---------------------------------------------------------------------------------------------

export interface TaskInfo {
  name: string;
  task_id: TaskID;
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  data?: Bytes;
  command?: CommandInfo;
  health_check?: HealthCheck;
  container?: ContainerInfo;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  kill_policy?: KillPolicy;
  check?: CheckInfo;
  max_completion_time?: DurationInfo;
  /** Only `cpus` and `mem`; the agent needs the TASK_RESOURCE_LIMITS capability. */
  limits?: Record<string, Value_Scalar>;
}

export interface TaskGroupInfo {
  tasks?: TaskInfo[];
}

export interface CommandInfo_URI {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

/**
 * With `shell` true (the default) the agent runs `/bin/sh -c value`. With `shell` false `value`
 * is the executable and `arguments` its argv; a Docker task with `{ shell: false }` and no value
 * runs the image's own entrypoint.
 */
export interface CommandInfo {
  uris?: CommandInfo_URI[];
  environment?: Environment;
  value?: string;
  user?: string;
  shell?: boolean;
  arguments?: string[];
}

export type Environment_Variable_Type = 'UNKNOWN' | 'VALUE' | 'SECRET';

export interface Environment_Variable {
  name: string;
  value?: string;
  type?: Environment_Variable_Type;
  secret?: Secret;
}

export interface Environment {
  variables?: Environment_Variable[];
}

export type ExecutorInfo_Type = 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';

export interface ExecutorInfo {
  executor_id: ExecutorID;
  data?: Bytes;
  resources?: Resource[];
  command?: CommandInfo;
  framework_id?: FrameworkID;
  name?: string;
  source?: string;
  container?: ContainerInfo;
  discovery?: DiscoveryInfo;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
  type?: ExecutorInfo_Type;
}

export type CheckInfo_Type = 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';

export interface CheckInfo {
  type?: CheckInfo_Type;
  command?: { command: CommandInfo };
  http?: { port: number; path?: string };
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  tcp?: { port: number };
}

export type HealthCheck_Type = CheckInfo_Type;

export interface HealthCheck {
  http?: {
    port: number;
    path?: string;
    scheme?: string;
    statuses?: number[];
    protocol?: NetworkInfo_Protocol;
  };
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  consecutive_failures?: number;
  grace_period_seconds?: number;
  command?: CommandInfo;
  type?: HealthCheck_Type;
  tcp?: { port: number; protocol?: NetworkInfo_Protocol };
}

export type DiscoveryInfo_Visibility = 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';

export interface Port {
  number: number;
  name?: string;
  protocol?: string;
  visibility?: DiscoveryInfo_Visibility;
  labels?: Labels;
}

export interface DiscoveryInfo {
  visibility: DiscoveryInfo_Visibility;
  name?: string;
  environment?: string;
  location?: string;
  version?: string;
  ports?: { ports?: Port[] };
  labels?: Labels;
}

// ---------------------------------------------------------------------------------------------
// Task status
// ---------------------------------------------------------------------------------------------

export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_DROPPED'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR'
  | 'TASK_UNKNOWN';

export type TaskStatus_Source = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

export type TaskStatus_Reason =
  | 'REASON_COMMAND_EXECUTOR_FAILED'
  | 'REASON_EXECUTOR_TERMINATED'
  | 'REASON_EXECUTOR_UNREGISTERED'
  | 'REASON_FRAMEWORK_REMOVED'
  | 'REASON_GC_ERROR'
  | 'REASON_INVALID_FRAMEWORKID'
  | 'REASON_INVALID_OFFERS'
  | 'REASON_MASTER_DISCONNECTED'
  | 'REASON_CONTAINER_LIMITATION_MEMORY'
  | 'REASON_RECONCILIATION'
  | 'REASON_AGENT_DISCONNECTED'
  | 'REASON_AGENT_REMOVED'
  | 'REASON_AGENT_RESTARTED'
  | 'REASON_AGENT_UNKNOWN'
  | 'REASON_TASK_INVALID'
  | 'REASON_TASK_UNAUTHORIZED'
  | 'REASON_TASK_UNKNOWN'
  | 'REASON_CONTAINER_PREEMPTED'
  | 'REASON_RESOURCES_UNKNOWN'
  | 'REASON_CONTAINER_LIMITATION'
  | 'REASON_CONTAINER_LIMITATION_DISK'
  | 'REASON_CONTAINER_LAUNCH_FAILED'
  | 'REASON_CONTAINER_UPDATE_FAILED'
  | 'REASON_EXECUTOR_REGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT'
  | 'REASON_TASK_GROUP_INVALID'
  | 'REASON_TASK_GROUP_UNAUTHORIZED'
  | 'REASON_IO_SWITCHBOARD_EXITED'
  | 'REASON_TASK_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_KILLED_DURING_LAUNCH'
  | 'REASON_AGENT_REMOVED_BY_OPERATOR'
  | 'REASON_AGENT_REREGISTERED'
  | 'REASON_MAX_COMPLETION_TIME_REACHED'
  | 'REASON_AGENT_DRAINING';

export interface CheckStatusInfo {
  type?: CheckInfo_Type;
  command?: { exit_code?: number };
  http?: { status_code?: number };
  tcp?: { succeeded?: boolean };
}

export interface TaskStatus {
  task_id: TaskID;
  state: TaskState;
  data?: Bytes;
  message?: string;
  agent_id?: AgentID;
  /** Seconds since the Unix epoch. */
  timestamp?: number;
  executor_id?: ExecutorID;
  healthy?: boolean;
  source?: TaskStatus_Source;
  reason?: TaskStatus_Reason;
  /** 16 raw UUID bytes; present only on updates that must be acknowledged. */
  uuid?: Bytes;
  labels?: Labels;
  container_status?: ContainerStatus;
  unreachable_time?: TimeInfo;
  check_status?: CheckStatusInfo;
  limitation?: { resources?: Resource[] };
}

export interface ContainerStatus {
  network_infos?: NetworkInfo[];
  cgroup_info?: { net_cls?: { classid?: number } };
  executor_pid?: number;
  container_id?: ContainerID;
}

// ---------------------------------------------------------------------------------------------
// Containers, images, volumes and networks
// ---------------------------------------------------------------------------------------------

export type ContainerInfo_Type = 'DOCKER' | 'MESOS';

export type ContainerInfo_DockerInfo_Network = 'HOST' | 'BRIDGE' | 'NONE' | 'USER';

export interface ContainerInfo_DockerInfo_PortMapping {
  host_port: number;
  container_port: number;
  /** `tcp` or `udp`; Docker receives it lowercased. */
  protocol?: string;
}

export interface ContainerInfo_DockerInfo {
  image: string;
  /** HOST when unset. */
  network?: ContainerInfo_DockerInfo_Network;
  port_mappings?: ContainerInfo_DockerInfo_PortMapping[];
  privileged?: boolean;
  /** Each becomes `--key=value` on the `docker run` command line. */
  parameters?: Parameter[];
  force_pull_image?: boolean;
  volume_driver?: string;
}

export interface ContainerInfo {
  type: ContainerInfo_Type;
  volumes?: Volume[];
  docker?: ContainerInfo_DockerInfo;
  hostname?: string;
  mesos?: { image?: Image };
  network_infos?: NetworkInfo[];
  linux_info?: LinuxInfo;
  rlimit_info?: RLimitInfo;
  tty_info?: { window_size?: { rows: number; columns: number } };
}

export type NetworkInfo_Protocol = 'IPv4' | 'IPv6';

export interface NetworkInfo_IPAddress {
  /** IPv4 when unset. */
  protocol?: NetworkInfo_Protocol;
  ip_address?: string;
}

export interface NetworkInfo_PortMapping {
  host_port: number;
  container_port: number;
  protocol?: string;
}

export interface NetworkInfo {
  groups?: string[];
  labels?: Labels;
  ip_addresses?: NetworkInfo_IPAddress[];
  name?: string;
  port_mappings?: NetworkInfo_PortMapping[];
}

export type Image_Type = 'APPC' | 'DOCKER';

export interface Image {
  type: Image_Type;
  appc?: { name: string; id?: string; labels?: Labels };
  docker?: { name: string; credential?: Credential; config?: Secret };
  cached?: boolean;
}

export type Volume_Mode = 'RW' | 'RO';

export type Volume_Source_Type =
  'UNKNOWN' | 'DOCKER_VOLUME' | 'SANDBOX_PATH' | 'SECRET' | 'HOST_PATH' | 'CSI_VOLUME';

/** `csi_volume` is carried through untyped; this product does not use CSI volumes. */
export interface Volume_Source {
  type?: Volume_Source_Type;
  docker_volume?: { driver?: string; name: string; driver_options?: Parameters };
  sandbox_path?: { type?: 'UNKNOWN' | 'SELF' | 'PARENT'; path: string };
  secret?: Secret;
  host_path?: {
    path: string;
    mount_propagation?: { mode?: 'UNKNOWN' | 'HOST_TO_CONTAINER' | 'BIDIRECTIONAL' };
  };
  csi_volume?: Record<string, unknown>;
}

export interface Volume {
  container_path: string;
  host_path?: string;
  mode: Volume_Mode;
  image?: Image;
  source?: Volume_Source;
}

/** Linux capability names as Mesos lists them in CapabilityInfo.Capability, e.g. `NET_ADMIN`. */
export type CapabilityInfo_Capability = string;

export interface CapabilityInfo {
  capabilities?: CapabilityInfo_Capability[];
}

export interface LinuxInfo {
  capability_info?: CapabilityInfo;
  bounding_capabilities?: CapabilityInfo;
  effective_capabilities?: CapabilityInfo;
  share_pid_namespace?: boolean;
  seccomp?: { profile_name?: string; unconfined?: boolean };
  ipc_mode?: 'UNKNOWN' | 'PRIVATE' | 'SHARE_PARENT';
  shm_size?: number;
  share_cgroups?: boolean;
}

/** `type` is one of Mesos's RLimitInfo.RLimit.Type names, e.g. `RLMT_NOFILE`. */
export interface RLimitInfo {
  rlimits?: Array<{ type?: string; hard?: Int64; soft?: Int64 }>;
}

// ---------------------------------------------------------------------------------------------
// Scheduler calls (mesos.v1.scheduler.Call)
// ---------------------------------------------------------------------------------------------

export type Call_Type =
  | 'UNKNOWN'
  | 'SUBSCRIBE'
  | 'TEARDOWN'
  | 'ACCEPT'
  | 'DECLINE'
  | 'REVIVE'
  | 'KILL'
  | 'SHUTDOWN'
  | 'ACKNOWLEDGE'
  | 'RECONCILE'
  | 'MESSAGE'
  | 'REQUEST'
  | 'SUPPRESS'
  | 'ACCEPT_INVERSE_OFFERS'
  | 'DECLINE_INVERSE_OFFERS'
  | 'ACKNOWLEDGE_OPERATION_STATUS'
  | 'RECONCILE_OPERATIONS'
  | 'UPDATE_FRAMEWORK';

/** mesos.v1.scheduler.OfferConstraints; carried through untyped, this product sets none. */
export type OfferConstraints = Record<string, unknown>;

export interface Call_Subscribe {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

export interface Call_Accept {
  offer_ids?: OfferID[];
  operations?: Offer_Operation[];
  filters?: Filters;
}

export interface Call_Decline {
  offer_ids?: OfferID[];
  filters?: Filters;
}

export interface Call_InverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}

/** Revive and Suppress: an empty or absent `roles` list means every role of the framework. */
export interface Call_Roles {
  roles?: string[];
}

export interface Call_Kill {
  task_id: TaskID;
  agent_id?: AgentID;
  kill_policy?: KillPolicy;
}

export interface Call_Shutdown {
  executor_id: ExecutorID;
  agent_id: AgentID;
}

export interface Call_Acknowledge {
  agent_id: AgentID;
  task_id: TaskID;
  /** The exact 16 bytes of the acknowledged TaskStatus.uuid. */
  uuid: Bytes;
}

export interface Call_AcknowledgeOperationStatus {
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
  uuid: Bytes;
  operation_id: OperationID;
}

export interface Call_Reconcile_Task {
  task_id: TaskID;
  agent_id?: AgentID;
}

/** An empty or absent `tasks` list requests implicit reconciliation of every known task. */
export interface Call_Reconcile {
  tasks?: Call_Reconcile_Task[];
}

export interface Call_ReconcileOperations {
  operations?: Array<{
    operation_id: OperationID;
    agent_id?: AgentID;
    resource_provider_id?: ResourceProviderID;
  }>;
}

export interface Call_Message {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Bytes;
}

export interface Call_UpdateFramework {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

export interface Call {
  /** Required on every call except SUBSCRIBE. */
  framework_id?: FrameworkID;
  type: Call_Type;
  subscribe?: Call_Subscribe;
  accept?: Call_Accept;
  decline?: Call_Decline;
  kill?: Call_Kill;
  shutdown?: Call_Shutdown;
  acknowledge?: Call_Acknowledge;
  reconcile?: Call_Reconcile;
  message?: Call_Message;
  request?: { requests?: Request[] };
  accept_inverse_offers?: Call_InverseOffers;
  decline_inverse_offers?: Call_InverseOffers;
  revive?: Call_Roles;
  suppress?: Call_Roles;
  acknowledge_operation_status?: Call_AcknowledgeOperationStatus;
  reconcile_operations?: Call_ReconcileOperations;
  update_framework?: Call_UpdateFramework;
}

// ---------------------------------------------------------------------------------------------
// Scheduler events (mesos.v1.scheduler.Event)
// ---------------------------------------------------------------------------------------------

export type Event_Type =
  | 'UNKNOWN'
  | 'SUBSCRIBED'
  | 'OFFERS'
  | 'RESCIND'
  | 'UPDATE'
  | 'MESSAGE'
  | 'FAILURE'
  | 'ERROR'
  | 'HEARTBEAT'
  | 'INVERSE_OFFERS'
  | 'RESCIND_INVERSE_OFFER'
  | 'UPDATE_OPERATION_STATUS';

export interface Event_Subscribed {
  framework_id: FrameworkID;
  heartbeat_interval_seconds?: number;
  master_info?: MasterInfo;
}

export interface Event_Offers {
  offers?: Offer[];
}

export interface Event_InverseOffers {
  inverse_offers?: InverseOffer[];
}

export interface Event_Rescind {
  offer_id: OfferID;
}

export interface Event_RescindInverseOffer {
  inverse_offer_id: OfferID;
}

export interface Event_Update {
  status: TaskStatus;
}

export interface Event_UpdateOperationStatus {
  status: OperationStatus;
}

export interface Event_Message {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Bytes;
}

/** An agent loss sets only `agent_id`; an executor exit sets all three fields. */
export interface Event_Failure {
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  status?: number;
}

export interface Event_Error {
  message: string;
}

export interface Event {
  /** A number (protobuf) or an unlisted name (JSON) when a newer master sends a new type. */
  type?: Event_Type | number;
  subscribed?: Event_Subscribed;
  offers?: Event_Offers;
  rescind?: Event_Rescind;
  update?: Event_Update;
  message?: Event_Message;
  failure?: Event_Failure;
  error?: Event_Error;
  inverse_offers?: Event_InverseOffers;
  rescind_inverse_offer?: Event_RescindInverseOffer;
  update_operation_status?: Event_UpdateOperationStatus;
}

// ---------------------------------------------------------------------------------------------
// Short names for the nested types used most
// ---------------------------------------------------------------------------------------------

export type DockerInfo = ContainerInfo_DockerInfo;
export type DockerNetwork = ContainerInfo_DockerInfo_Network;
export type DockerPortMapping = ContainerInfo_DockerInfo_PortMapping;
export type IPAddress = NetworkInfo_IPAddress;
export type Range = Value_Range;
export type Scalar = Value_Scalar;
export type CallType = Call_Type;
export type EventType = Event_Type;
export type TaskSource = TaskStatus_Source;
export type TaskReason = TaskStatus_Reason;
