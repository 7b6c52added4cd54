package io.mocoj.zoo;

import io.mocoj.task.Task;
import io.mocoj.task.TaskSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Makes the sandbox's skill tasks ({@code zoo_mcq}, {@code zoo_arith}, ..., and the mixed {@code zoo_mix}) loadable by name through
 * {@link io.mocoj.task.Tasks#load(String)} and so usable as {@code "task"} in a MoCo config; each is
 * generated with {@link SkillTasks#DEFAULT_SEED} (no file is read).
 */
public final class ZooTaskSource implements TaskSource {
    @Override
    public List<String> names() {
        List<String> names = new java.util.ArrayList<>(Arrays.stream(Skill.values()).map(Skill::taskName).toList());
        names.add(SkillTasks.MIX_NAME);
        return names;
    }

    @Override
    public Optional<Task> load(String name) {
        if (name.equals(SkillTasks.MIX_NAME)) return Optional.of(SkillTasks.mix());
        return Arrays.stream(Skill.values()).filter(s -> s.taskName().equals(name)).findFirst().map(SkillTasks::task);
    }
}
