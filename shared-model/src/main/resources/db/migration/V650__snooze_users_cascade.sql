-- Issue 4: the users counted for an ignore condition belong to it; ending the condition (deleting its
-- issue_snoozes row, from the query service's workflow or the processor's reopen) removes them too.
DELETE FROM issue_snooze_users u
 WHERE NOT EXISTS (SELECT 1 FROM issue_snoozes s WHERE s.project_id = u.project_id AND s.issue_id = u.issue_id);
ALTER TABLE issue_snooze_users
    ADD CONSTRAINT issue_snooze_users_snooze FOREIGN KEY (project_id, issue_id)
        REFERENCES issue_snoozes (project_id, issue_id) ON DELETE CASCADE;
