CREATE TABLE `entity_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`label_id` text NOT NULL,
	`platform` text NOT NULL,
	`role_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entity_groups_mapping` ON `entity_groups` (`community_id`,`label_id`,`platform`,`role_id`);--> statement-breakpoint
CREATE INDEX `entity_groups_label` ON `entity_groups` (`label_id`);--> statement-breakpoint
CREATE TABLE `entity_labels` (
	`community_id` text NOT NULL,
	`label_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`label_id`, `entity_type`, `entity_id`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `entity_labels_entity` ON `entity_labels` (`community_id`,`entity_type`,`entity_id`);--> statement-breakpoint
CREATE TABLE `labels` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`name` text NOT NULL,
	`normalized_name` text NOT NULL,
	`color` text DEFAULT '#6b7280' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `labels_community_name` ON `labels` (`community_id`,`normalized_name`);--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`group_id` text NOT NULL,
	`community_id` text NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`role_id` text NOT NULL,
	`platform_user_id` text NOT NULL,
	`assigned_at` integer NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `role_assignments_community` ON `role_assignments` (`community_id`);