package io.mocoj.methods.toolbox;

import io.mocoj.task.TaskType;
import java.util.List;
import java.util.Locale;

/**
 * The prompts of text-level collaboration, written once: showing other agents' answers,
 * summarising, synthesising references (Mixture-of-Agents), asking for and using feedback,
 * writing and using knowledge, pairwise judging and fusing. {@code question} is always the
 * task's formatted prompt for the example, so its answer-format instruction is kept.
 */
public final class TeamPrompts {
    private TeamPrompts() {}

    /** Debate / structure: the agent's previous answer and the answers it can see, asking for an improved answer. */
    public static String refine(String question, String previous, List<String> others) {
        return listed("You are one of several AI assistants working on the same question. Read the other assistants' answers "
                + "and use them to improve your own answer.", question, "Your previous answer: " + previous + "\n\n",
                "Answers from the other assistants:", others, "Give your improved answer to the question.");
    }

    /** The best dev model's final step: every agent's final answer, asking for one combined answer. */
    public static String summarise(String question, List<String> answers) {
        return listed("You are the last member of a team of AI assistants. Each assistant below answered the question; "
                + "combine their answers into one final answer.", question, "", "Answers of the assistants:", answers,
                "Write the final answer to the question.");
    }

    /** Mixture-of-Agents: numbered references to synthesise, then the question. */
    public static String references(String question, List<String> responses) {
        StringBuilder sb = new StringBuilder();
        sb.append("Below are responses of several models to the user's question. Synthesize these responses into one ")
                .append("high-quality answer. Some of them may be wrong or biased: judge them critically instead of copying ")
                .append("them, and give an accurate, complete and well-organised reply.\n\n");
        sb.append("Responses:\n");
        for (int i = 0; i < responses.size(); i++) sb.append(i + 1).append(". ").append(responses.get(i)).append('\n');
        sb.append("\nQuestion: ").append(question);
        return sb.toString();
    }

    /**
     * Heterogeneous Swarms: a node of the graph answers with its predecessors' responses in view
     * ({@code previous} empty for a first node; {@code last}: the end node, asked for a final answer).
     */
    public static String graphNode(String question, List<String> previous, boolean last) {
        if (previous.isEmpty()) return "Answer the following question.\n" + question;
        StringBuilder sb = new StringBuilder("Answer the following question with the help of the earlier responses below; "
                + "ignore any that are wrong or unhelpful." + (last ? " Be sure to give a final answer." : "") + "\n\n");
        for (int i = 0; i < previous.size(); i++) sb.append("Earlier response ").append(i + 1).append(": ").append(previous.get(i).strip()).append("\n\n");
        return sb.append(question).toString();
    }

    /** The blackboard actions, as the phrases an agent replies with after "I choose to". */
    public static final List<String> BOARD_ACTIONS = List.of("propose a solving strategy", "execute a solution step",
            "critique and refine existing work", "terminate and finalize the solution");

    /** The problem and the board's entries ({@code Entry #k} by iteration), shared by every blackboard prompt. */
    public static String board(String question, List<String> entryHeaders, List<String> entryTexts) {
        StringBuilder sb = new StringBuilder("You take part in a team that solves a problem together on a shared blackboard. "
                + "Refer to earlier work as Entry #<number>.\n\nProblem:\n").append(question).append("\n\n=== Blackboard ===\n");
        if (entryTexts.isEmpty()) sb.append("The blackboard is empty.\n");
        for (int i = 0; i < entryTexts.size(); i++) sb.append(entryHeaders.get(i)).append('\n').append(entryTexts.get(i).strip()).append("\n\n");
        return sb.append("=== End of blackboard ===\n\n").toString();
    }

    /** Blackboard: choose one action, replying with its phrase. */
    public static String selectAction(String board) {
        StringBuilder sb = new StringBuilder(board).append("Look at what is on the board: what is done, what is doubtful, what is missing. ")
                .append("Then choose ONE action and reply with its exact sentence only:\n");
        for (String a : BOARD_ACTIONS) sb.append("- I choose to ").append(a).append(".\n");
        return sb.append("Choose the last one only when the solution on the board looks complete and correct.").toString();
    }

    /** Blackboard: carry out the chosen action, with the agent's own choice reply as its reasoning. */
    public static String executeAction(String board, String action, String reasoning) {
        String task = switch (action) {
            case "propose a solving strategy" -> "Propose a high-level plan for solving the problem: what kind of problem it is, which ideas it needs, "
                    + "the main steps and the pitfalls. Do not solve it yet.";
            case "execute a solution step" -> "Carry out a concrete next step of the solution, showing your work, building on the entries where useful.";
            case "critique and refine existing work" -> "Name the entries you examine, point out errors or gaps, explain them, and give a corrected version.";
            default -> "Finalize: combine the work on the board into one complete, coherent solution. Start with a line FINAL: and end with "
                    + "the final answer stated clearly.";
        };
        return board + "You have chosen to *" + action + "*. Your reasoning was:\n" + reasoning.strip() + "\n\n" + task;
    }

    /** Blackboard: vote for the most correct of the numbered conclusions. */
    public static String vote(String board, List<String> conclusions) {
        StringBuilder sb = new StringBuilder(board).append("Conclusions taken from the board:\n");
        for (int i = 0; i < conclusions.size(); i++) sb.append("Conclusion #").append(i + 1).append(": ").append(conclusions.get(i).strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
        return sb.append("\nReason it through and vote for the final conclusion you think is most correct. "
                + "End with: Therefore, I vote for Conclusion #<number>.").toString();
    }

    /** Asks one agent for feedback on another agent's answer in a revision round. */
    public static String feedbackRequest(String question, String reviewedAgent, String answer, int round) {
        return "You review another assistant's answer as part of a team (revision round " + round + "). Give brief, "
                + "constructive feedback: say whether it is right and, if not, which one would be.\n\n"
                + "Question: " + question + "\n\n"
                + "Answer of " + reviewedAgent + ": " + answer + "\n\n"
                + "Your feedback:";
    }

    /** Asks an agent to revise its previous answer with the feedback it received. */
    public static String reviseWithFeedback(String question, String previous, List<String> feedback, int round) {
        return listed("Other assistants of your team reviewed your answer to the question below (revision round " + round
                + "). Use what is useful in their feedback to improve your answer.", question, "Your previous answer: " + previous + "\n\n",
                "Feedback on your answer:", feedback, "Give your improved answer to the question.");
    }

    /** Knowledge Card: asks for a paragraph of background knowledge, not an answer. */
    public static String knowledgeRequest(String question) {
        return "Write a short paragraph of background knowledge that would help someone answer the question below. "
                + "Give facts and context; another assistant will write the answer.\n\n"
                + "Question: " + question + "\n\n"
                + "Knowledge:";
    }

    /** Knowledge Card: the answering model with the knowledge paragraphs in context. */
    public static String answerWithKnowledge(String question, List<String> paragraphs) {
        return listed("Other assistants of your team wrote the knowledge below for this question. Answer the question "
                + "with the help of the knowledge, keeping in mind that some of it may be wrong.", question, "",
                "Knowledge from the assistants:", paragraphs, "Answer the question.");
    }

    /** LLM-Blender's ranker: which of two candidates answers better; the reply is one letter. */
    public static String pairwise(String question, String candidateA, String candidateB) {
        return "You judge two candidate answers to the same question.\n\n"
                + "Question:\n" + question + "\n\n"
                + "Candidate A:\n" + candidateA + "\n\n"
                + "Candidate B:\n" + candidateB + "\n\n"
                + "Which candidate answers the question better? Reply with one letter only: A or B.";
    }

    /** LLM-Blender's fuser: the top-ranked candidates, best first, asking for one fused answer ending in a parseable marker. */
    public static String fusion(String question, List<String> rankedCandidates, TaskType type) {
        StringBuilder sb = new StringBuilder();
        sb.append("Fuse the candidate answers below into one answer that keeps what each gets right and drops their mistakes.\n\n");
        sb.append("Question: ").append(question).append("\n\n");
        sb.append("Candidates, ranked best first by a judge:\n");
        for (int i = 0; i < rankedCandidates.size(); i++) sb.append(i + 1).append(". ").append(rankedCandidates.get(i)).append('\n');
        switch (type) {
            case MULTIPLE_CHOICE -> sb.append("\nFinish with a line 'Answer: X', X being the letter of the option you choose.");
            case EXACT_MATCH, F1_MATCH -> sb.append("\nFinish with a line 'Final Answer: \\boxed{ANSWER}' stating your answer.");
            default -> { }
        }
        sb.append("\nWrite the fused answer.");
        return sb.toString();
    }

    /**
     * Reads a judge's A/B reply: the first standalone letter A or B (case-insensitive), so
     * "Candidate B is better" reads B.
     *
     * @return 'A', 'B', or 0 when the reply names neither
     */
    public static char parseAorB(String reply) {
        String t = reply.toUpperCase(Locale.ROOT);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if ((c == 'A' || c == 'B') && (i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1)))
                    && (i + 1 == t.length() || !Character.isLetterOrDigit(t.charAt(i + 1)))) {
                return c;
            }
        }
        return 0;
    }

    /** Intro, the question, an optional block, a header with one bullet per item, and the closing instruction. */
    private static String listed(String intro, String question, String block, String header, List<String> items, String closing) {
        StringBuilder sb = new StringBuilder(intro).append("\n\nQuestion: ").append(question).append("\n\n").append(block)
                .append(header).append('\n');
        bullets(sb, items);
        return sb.append('\n').append(closing).toString();
    }

    private static void bullets(StringBuilder sb, List<String> items) {
        for (String item : items) sb.append("- ").append(item.strip()).append('\n');
    }
}
