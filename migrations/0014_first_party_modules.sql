CREATE TABLE `ai_usage` (
	`community_id` text NOT NULL,
	`key` text NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`last_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`community_id`, `key`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `command_aliases` (
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`target` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `name`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `module_counters` (
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`value` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `name`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `giveaway_entries` (
	`giveaway_id` text NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`username` text NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`giveaway_id`, `platform`, `user_id`),
	FOREIGN KEY (`giveaway_id`) REFERENCES `giveaways`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `giveaways` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`keyword` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`ends_at` integer NOT NULL,
	`subscriber_luck` integer DEFAULT 1 NOT NULL,
	`started_by` text NOT NULL,
	`winners` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `giveaways_community` ON `giveaways` (`community_id`,`status`);--> statement-breakpoint
CREATE TABLE `inventory_items` (
	`community_id` text NOT NULL,
	`owner` text NOT NULL,
	`item` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`community_id`, `owner`, `item`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `loyalty_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`to_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `loyalty_transfers_community` ON `loyalty_transfers` (`community_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `memory_entries` (
	`community_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	`added_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `kind`, `name`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `memory_quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`added_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_quotes_number` ON `memory_quotes` (`community_id`,`number`);--> statement-breakpoint
CREATE TABLE `shoutout_log` (
	`community_id` text NOT NULL,
	`login` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `login`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `module_timers` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`platform` text NOT NULL,
	`channel_id` text NOT NULL,
	`message` text NOT NULL,
	`interval_min` integer NOT NULL,
	`min_lines` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_timers_name` ON `module_timers` (`community_id`,`name`);--> statement-breakpoint
CREATE TABLE `music_queue` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`video_id` text NOT NULL,
	`title` text NOT NULL,
	`artist` text DEFAULT '' NOT NULL,
	`art_url` text,
	`requested_by` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`created_at` integer NOT NULL,
	`seq` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `music_queue_community` ON `music_queue` (`community_id`,`status`,`seq`);