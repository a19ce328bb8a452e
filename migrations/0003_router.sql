CREATE TABLE `command_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`event_id` text NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`command` text NOT NULL,
	`module_id` text,
	`engine` text NOT NULL,
	`status` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `command_executions_community_time` ON `command_executions` (`community_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `commands` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text,
	`prefix` text DEFAULT '!' NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'text' NOT NULL,
	`response` text,
	`module_id` text,
	`description` text DEFAULT '' NOT NULL,
	`min_level` text DEFAULT 'everyone' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_channels` text DEFAULT '[]' NOT NULL,
	`global_cooldown_sec` integer DEFAULT 0 NOT NULL,
	`user_cooldown_sec` integer DEFAULT 0 NOT NULL,
	`use_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commands_community_prefix_name` ON `commands` (`community_id`,`prefix`,`name`);--> statement-breakpoint
CREATE INDEX `commands_module` ON `commands` (`module_id`);--> statement-breakpoint
CREATE TABLE `router_settings` (
	`community_id` text PRIMARY KEY NOT NULL,
	`user_command_limit` integer DEFAULT 60 NOT NULL,
	`user_command_window_sec` integer DEFAULT 60 NOT NULL,
	`community_limit` integer DEFAULT 0 NOT NULL,
	`community_window_sec` integer DEFAULT 60 NOT NULL,
	`rate_limited_reply` text,
	`live_since` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `moderation_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`match_type` text NOT NULL,
	`pattern` text,
	`options` text DEFAULT '{}' NOT NULL,
	`action` text NOT NULL,
	`action_config` text DEFAULT '{}' NOT NULL,
	`escalation` text DEFAULT '[]' NOT NULL,
	`exempt_level` text DEFAULT 'moderator' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`priority` integer DEFAULT 100 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `moderation_rules_community` ON `moderation_rules` (`community_id`);--> statement-breakpoint
CREATE TABLE `moderation_strikes` (
	`community_id` text NOT NULL,
	`platform` text NOT NULL,
	`platform_user_id` text NOT NULL,
	`strikes` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `platform`, `platform_user_id`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `module_installations` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`module_id` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_installations_community_module` ON `module_installations` (`community_id`,`module_id`);--> statement-breakpoint
CREATE INDEX `module_installations_module` ON `module_installations` (`module_id`);--> statement-breakpoint
CREATE TABLE `modules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`engine` text NOT NULL,
	`config` text NOT NULL,
	`commands` text DEFAULT '[]' NOT NULL,
	`triggers` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 100 NOT NULL,
	`parallel` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `modules_name_unique` ON `modules` (`name`);