package dev.beatline.query.admin;

import dev.beatline.query.api.ApiProblem;
import java.util.regex.Pattern;

/**
 * Rules for project slugs, which name projects in URLs: 2–50 characters of lower-case letters, digits and
 * inner hyphens, not all digits (an all-digit path segment addresses a project by numeric id).
 */
public final class ProjectSlugs {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?");

    private ProjectSlugs() {
    }

    /** The slug if valid; a 400 naming the rule otherwise. */
    public static String validate(String slug) {
        if (slug == null || slug.isBlank()) {
            throw ApiProblem.badRequest("slug", "is required");
        }
        if (slug.length() < 2 || slug.length() > 50 || !SLUG.matcher(slug).matches()) {
            throw ApiProblem.badRequest("slug",
                    "must be 2-50 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
        }
        if (slug.chars().allMatch(Character::isDigit)) {
            throw ApiProblem.badRequest("slug", "must contain a letter (all-digit paths address projects by id)");
        }
        return slug;
    }

    /** A display name: trimmed, 1–200 characters. */
    public static String validateName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.badRequest("name", "is required");
        }
        String n = name.trim();
        if (n.length() > 200) {
            throw ApiProblem.badRequest("name", "must be at most 200 characters");
        }
        return n;
    }
}
