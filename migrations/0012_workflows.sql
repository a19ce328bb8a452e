CREATE TABLE `workflow_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`community_id` text NOT NULL,
	`version` integer NOT NULL,
	`instance_id` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`input` text,
	`error` text,
	`retry_of` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workflow_executions_community_time` ON `workflow_executions` (`community_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `workflow_executions_workflow_time` ON `workflow_executions` (`workflow_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `workflow_licences` (
	`community_id` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`tier` text NOT NULL,
	`expires_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `workflow_node_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`execution_id` text NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`step_name` text NOT NULL,
	`status` text NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	FOREIGN KEY (`execution_id`) REFERENCES `workflow_executions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_node_executions_step` ON `workflow_node_executions` (`execution_id`,`step_name`);--> statement-breakpoint
CREATE TABLE `workflow_schedules` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`spec` text NOT NULL,
	`next_run_at` integer,
	`run_count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `workflow_variables` (
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`value` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_variables_community_name` ON `workflow_variables` (`community_id`,`name`);--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`graph` text NOT NULL,
	`published_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_versions_workflow_version` ON `workflow_versions` (`workflow_id`,`version`);--> statement-breakpoint
CREATE TABLE `workflow_webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`community_id` text NOT NULL,
	`token` text NOT NULL,
	`secret` text NOT NULL,
	`allowed_ips` text DEFAULT '[]' NOT NULL,
	`rate_per_minute` integer DEFAULT 60 NOT NULL,
	`trigger_count` integer DEFAULT 0 NOT NULL,
	`last_triggered_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_webhooks_token_unique` ON `workflow_webhooks` (`token`);--> statement-breakpoint
CREATE INDEX `workflow_webhooks_workflow` ON `workflow_webhooks` (`workflow_id`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`graph` text NOT NULL,
	`trigger_command` text,
	`trigger_event` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflows_community_name` ON `workflows` (`community_id`,`name`);--> statement-breakpoint
CREATE INDEX `workflows_community_command` ON `workflows` (`community_id`,`trigger_command`);--> statement-breakpoint
CREATE INDEX `workflows_community_event` ON `workflows` (`community_id`,`trigger_event`);