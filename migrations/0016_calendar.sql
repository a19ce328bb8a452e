CREATE TABLE `calendar_events` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`proposed_by_platform` text NOT NULL,
	`proposed_by_id` text NOT NULL,
	`proposed_by` text NOT NULL,
	`decided_by` text,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`remind_before_min` integer DEFAULT 15 NOT NULL,
	`channels` text DEFAULT '[]' NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_events_number` ON `calendar_events` (`community_id`,`number`);--> statement-breakpoint
CREATE INDEX `calendar_events_upcoming` ON `calendar_events` (`community_id`,`status`,`starts_at`);--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`community_id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`token_sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_hash_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE TABLE `calendar_rsvps` (
	`event_id` text NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`username` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `platform`, `user_id`),
	FOREIGN KEY (`event_id`) REFERENCES `calendar_events`(`id`) ON UPDATE no action ON DELETE cascade
);
