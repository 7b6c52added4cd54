package consumer;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.List;

/** A consumer's first program: a majority vote of three SIMULATED models on 30 made-up questions. */
public final class Main {
    public static void main(String[] args) {
        List<Example> dev = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
            options.put("A", "red");
            options.put("B", "green");
            options.put("C", "blue");
            options.put("D", "black");
            (i < 10 ? dev : test).add(Example.multipleChoice("q" + i, "Question " + i + ": which colour?", options, "ABCD".substring(i % 4, i % 4 + 1)));
        }
        Task task = new Task("consumer", TaskType.MULTIPLE_CHOICE, dev, test);
        RunReport report = MoCo.run()
                .models(SimulatedModel.builder(task).name("a").accuracy(0.6).seed(1).build(),
                        SimulatedModel.builder(task).name("b").accuracy(0.6).seed(2).build(),
                        SimulatedModel.builder(task).name("c").accuracy(0.6).seed(3).build())
                .method(Methods.majorityVote())
                .task(task)
                .execute();
        System.out.print(report.toTable());
    }
}
