package io.mocoj.zoo.formats;

import io.mocoj.zoo.Skill;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The prompt formats the text methods send, each built by the method's own prompt builder, with
 * the methods it serves. {@link FormatRows#rows} makes training rows of a format over a skill's
 * items, with completions that teach the sensible behaviour (the correct answer whatever the
 * shown answers say; a judgement that names the correct candidate).
 */
public enum Format {
    /** {@code TeamPrompts.refine}: own previous answer and the others' answers, some right and some wrong → the correct answer. */
    REFINE("text_multiagent_refine, text_structure, text_multiagent_finetuning"),
    /** {@code TeamPrompts.summarise}: every agent's final answer → the correct one (not always the majority). */
    SUMMARISE("text_multiagent_refine and text_multiagent_feedback (summariser)"),
    /** {@code TeamPrompts.references}: numbered responses to synthesise → the correct answer. */
    REFERENCES("text_mixture_of_agents"),
    /** {@code TeamPrompts.graphNode}: a graph node with its predecessors' responses → the correct answer. */
    GRAPH_NODE("text_heterogeneous_swarms"),
    /** {@code TeamPrompts.feedbackRequest}: review one answer → says whether it is right and gives the right one. */
    FEEDBACK("text_multiagent_feedback (reviewer)"),
    /** {@code TeamPrompts.reviseWithFeedback}: own previous answer and the feedback on it → the correct answer. */
    REVISE("text_multiagent_feedback (reviser)"),
    /** {@code TeamPrompts.knowledgeRequest}: a knowledge-base question → the relevant knowledge-base paragraph. */
    KNOWLEDGE("text_knowledge_card (knowledge sources)", EnumSet.of(Skill.KBQA, Skill.OPEN)),
    /** {@code TeamPrompts.answerWithKnowledge}: the question with the relevant paragraph and a distractor → the answer the paragraph gives. */
    ANSWER_WITH_KNOWLEDGE("text_knowledge_card (answerer)", EnumSet.of(Skill.KBQA, Skill.OPEN)),
    /** {@code TeamPrompts.pairwise}: one right and one wrong candidate → the letter of the right one ({@code TeamPrompts.parseAorB}). */
    PAIRWISE("text_llm_blender (ranker), PairwiseRanking"),
    /** {@code TeamPrompts.fusion}: ranked candidates → the correct answer in the marker the prompt asks for. */
    FUSION("text_llm_blender (fuser)"),
    /** {@code AggLm.aggregationPrompt}: numbered solutions → one correct solution (not always the majority's). */
    AGGREGATION("text_agglm"),
    /** {@code PeerJudge.prompt}: one response → {@code {"score": 9}} when right, {@code {"score": 2}} when wrong. */
    PEER_JUDGE("text_sparta, text_sparta_stackelberg (peer judges)"),
    /** {@code RewardModelEvaluator.judgePrompt}: the text_generation judge → {@code Rating: 9} when right, {@code Rating: 2} when wrong. */
    JUDGE("the zoo_open / text_generation evaluator's judge"),
    /** {@code Prompts.routing}: the question and two zoo specialists described by their skills → the number of the one for the question's skill. */
    ROUTING("api_prompt_routing (router)");

    private final String servedMethods;
    private final Set<Skill> skills;

    Format(String servedMethods) { this(servedMethods, EnumSet.allOf(Skill.class)); }

    Format(String servedMethods, Set<Skill> skills) {
        this.servedMethods = servedMethods;
        this.skills = Set.copyOf(skills);
    }

    /** The methods (and their roles) that send this format. */
    public String servedMethods() { return servedMethods; }

    /** The skills whose items this format's rows are made of. */
    public Set<Skill> skills() { return skills; }

    /** Whether rows of this format can be made from {@code skill}'s items. */
    public boolean supports(Skill skill) { return skills.contains(skill); }

    /** The (format, skill) pairs {@link FormatRows#mixture} covers, in a fixed order. */
    public static List<Skill> skillsOf(Format f) {
        return List.of(Skill.values()).stream().filter(f::supports).toList();
    }
}
